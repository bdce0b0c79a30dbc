import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';
import type { SmsMessageRecord, SmsMessageRecordQuery } from '@app/sms';
import { openSqliteDatabase } from '../../database/sqlite-database.js';
import { SQLITE_MESSAGE_RECORD_MIGRATIONS } from './message-record-store.migrations.js';
import {
  fromMessageRecordRow,
  toMessageRecordRow,
  type MessageRecordRow,
} from './message-record.row.js';
import { MessageRecordStore } from './message-record.store.js';

type FindParameters = {
  phone_hash: string;
  environment: string;
  limit: number;
};
type UpdateParameters = Pick<
  MessageRecordRow,
  'id' | 'status' | 'provider_status' | 'error_code' | 'events'
> & { updated_at: number; revision: number; previous_revision: number };

/** Message records in the SQLite file of the environment settings. */
export class SqliteMessageRecordStore extends MessageRecordStore {
  private readonly db: SqliteDatabase;
  private readonly statements: {
    insert: Statement<[MessageRecordRow & { revision: number }]>;
    update: Statement<[UpdateParameters]>;
    get: Statement<[string], MessageRecordRow>;
    find: Statement<[FindParameters], MessageRecordRow>;
    deleteBefore: Statement<[number]>;
  };

  /** Opens (creating when needed) the database and brings its schema up to date. */
  constructor(options: { path: string; busyTimeoutMs?: number }) {
    super();
    this.db = openSqliteDatabase(
      options.path,
      SQLITE_MESSAGE_RECORD_MIGRATIONS,
      options.busyTimeoutMs,
    );
    this.statements = {
      insert: this.db.prepare(`
        INSERT INTO sms_messages (id, environment, provider, message_id, phone_hint, phone_hash,
          encoding, segments, status, provider_status, error_code, created_at, updated_at,
          failover_from, events, revision)
        VALUES (@id, @environment, @provider, @message_id, @phone_hint, @phone_hash, @encoding,
          @segments, @status, @provider_status, @error_code, @created_at, @updated_at,
          @failover_from, @events, @revision)`),
      update: this.db.prepare(`
        UPDATE sms_messages SET status = @status, provider_status = @provider_status,
          error_code = @error_code, updated_at = @updated_at, events = @events,
          revision = @revision
        WHERE id = @id AND revision = @previous_revision`),
      get: this.db.prepare('SELECT * FROM sms_messages WHERE id = ?'),
      find: this.db.prepare(`
        SELECT * FROM sms_messages
        WHERE phone_hash = @phone_hash AND environment = @environment
        ORDER BY created_at DESC, id DESC LIMIT @limit`),
      deleteBefore: this.db.prepare(
        'DELETE FROM sms_messages WHERE created_at < ?',
      ),
    };
  }

  override async create(record: SmsMessageRecord): Promise<void> {
    this.statements.insert.run({
      ...toMessageRecordRow(record, (date) => date.getTime()),
      revision: record.events.length,
    });
  }

  override async update(
    record: SmsMessageRecord,
    previous: SmsMessageRecord,
  ): Promise<boolean> {
    const row = toMessageRecordRow(record, (date) => date.getTime());
    const { changes } = this.statements.update.run({
      id: row.id,
      status: row.status,
      provider_status: row.provider_status,
      error_code: row.error_code,
      updated_at: row.updated_at,
      events: row.events,
      revision: record.events.length,
      previous_revision: previous.events.length,
    });
    return changes > 0;
  }

  override async get(id: string): Promise<SmsMessageRecord | undefined> {
    const row = this.statements.get.get(id);
    return row && fromMessageRecordRow(row);
  }

  override async findByPhone(
    query: SmsMessageRecordQuery,
  ): Promise<SmsMessageRecord[]> {
    return this.statements.find
      .all({
        phone_hash: query.phoneHash,
        environment: query.environment ?? '',
        limit: query.limit,
      })
      .map(fromMessageRecordRow);
  }

  override async deleteBefore(cutOff: Date): Promise<number> {
    return this.statements.deleteBefore.run(cutOff.getTime()).changes;
  }

  override async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
