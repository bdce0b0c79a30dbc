import { Logger } from '@nestjs/common';
import type pg from 'pg';
import type { SmsMessageRecord, SmsMessageRecordQuery } from '@app/sms';
import { applyPostgresMigrations } from '../../database/postgres-migrations.runner.js';
import { createPostgresPool } from '../../database/postgres-pool.js';
import { POSTGRES_MESSAGE_RECORD_MIGRATIONS } from './message-record-store.migrations.js';
import {
  fromMessageRecordRow,
  toMessageRecordRow,
  type MessageRecordRow,
} from './message-record.row.js';
import { MessageRecordStore } from './message-record.store.js';

const INSERT = `
  INSERT INTO sms_messages (id, environment, provider, message_id, phone_hint, phone_hash,
    encoding, segments, status, provider_status, error_code, created_at, updated_at,
    failover_from, events, revision)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`;

const UPDATE = `
  UPDATE sms_messages SET status = $2, provider_status = $3, error_code = $4, updated_at = $5,
    events = $6, revision = $7
  WHERE id = $1 AND revision = $8`;

/** Message records in PostgreSQL, shared by every instance of the service. */
export class PostgresMessageRecordStore extends MessageRecordStore {
  private readonly logger = new Logger('PostgresMessageRecordStore');
  private readonly pool: pg.Pool;

  private constructor(connectionString: string, poolSize?: number) {
    super();
    this.pool = createPostgresPool(connectionString, this.logger, poolSize);
  }

  /** Connects and brings the schema up to date. */
  static async open(options: {
    connectionString: string;
    poolSize?: number;
  }): Promise<PostgresMessageRecordStore> {
    const store = new PostgresMessageRecordStore(
      options.connectionString,
      options.poolSize,
    );
    try {
      await applyPostgresMigrations(
        store.pool,
        POSTGRES_MESSAGE_RECORD_MIGRATIONS,
      );
      return store;
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  override async create(record: SmsMessageRecord): Promise<void> {
    const row = toMessageRecordRow(record, (date) => date);
    await this.pool.query(INSERT, [
      row.id,
      row.environment,
      row.provider,
      row.message_id,
      row.phone_hint,
      row.phone_hash,
      row.encoding,
      row.segments,
      row.status,
      row.provider_status,
      row.error_code,
      row.created_at,
      row.updated_at,
      row.failover_from,
      row.events,
      record.events.length,
    ]);
  }

  override async update(
    record: SmsMessageRecord,
    previous: SmsMessageRecord,
  ): Promise<boolean> {
    const row = toMessageRecordRow(record, (date) => date);
    const { rowCount } = await this.pool.query(UPDATE, [
      row.id,
      row.status,
      row.provider_status,
      row.error_code,
      row.updated_at,
      row.events,
      record.events.length,
      previous.events.length,
    ]);
    return (rowCount ?? 0) > 0;
  }

  override async get(id: string): Promise<SmsMessageRecord | undefined> {
    const { rows } = await this.pool.query<MessageRecordRow>(
      'SELECT * FROM sms_messages WHERE id = $1',
      [id],
    );
    return rows[0] && fromMessageRecordRow(rows[0]);
  }

  override async findByPhone(
    query: SmsMessageRecordQuery,
  ): Promise<SmsMessageRecord[]> {
    const { rows } = await this.pool.query<MessageRecordRow>(
      `SELECT * FROM sms_messages WHERE phone_hash = $1 AND environment = $2
       ORDER BY created_at DESC, id DESC LIMIT $3`,
      [query.phoneHash, query.environment ?? '', query.limit],
    );
    return rows.map(fromMessageRecordRow);
  }

  override async deleteBefore(cutOff: Date): Promise<number> {
    const { rowCount } = await this.pool.query(
      'DELETE FROM sms_messages WHERE created_at < $1',
      [cutOff],
    );
    return rowCount ?? 0;
  }

  override async close(): Promise<void> {
    await this.pool.end();
  }
}
