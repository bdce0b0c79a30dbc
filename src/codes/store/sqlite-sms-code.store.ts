import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';
import { openSqliteDatabase } from '../../database/sqlite-database.js';
import {
  SmsCodeStore,
  type SmsCodeCounter,
  type SmsCodeKey,
  type SmsCodePurpose,
  type SmsCodeRecord,
} from '@app/sms/codes/index.js';
import { SQLITE_SMS_CODE_MIGRATIONS } from './sms-code-store.migrations.js';

/** Options of {@link SqliteSmsCodeStore}. */
export interface SqliteSmsCodeStoreOptions {
  /** The database file (its folder is created), or `:memory:`. May be the settings store's file. */
  path: string;
  /**
   * How long a write waits for another process's write lock, in milliseconds.
   * @default 5000
   */
  busyTimeoutMs?: number;
}

interface CodeRow {
  environment: string;
  phone: string;
  purpose: string;
  id: string;
  hash: string;
  attempts: number;
  created_at: number;
  expires_at: number;
}

type KeyParameters = { environment: string; phone: string; purpose: string };

/**
 * Codes and send counters in a SQLite file, for a single host or a few processes on one machine:
 * each step is one statement, and SQLite runs one write at a time, so processes sharing the file
 * share the limits.
 */
export class SqliteSmsCodeStore extends SmsCodeStore {
  private readonly db: SqliteDatabase;
  private readonly statements: {
    save: Statement<[CodeRow]>;
    find: Statement<[KeyParameters], CodeRow>;
    addAttempt: Statement<[KeyParameters & { id: string }], number>;
    consume: Statement<[KeyParameters & { id: string }]>;
    hit: Statement<
      [{ name: string; now: number; windowMs: number }],
      { hits: number; window_ends_at: number }
    >;
    purgeCodes: Statement<[number]>;
    purgeCounters: Statement<[number]>;
  };

  /** Opens (creating when needed) the database and brings its schema up to date. */
  constructor(options: SqliteSmsCodeStoreOptions) {
    super();
    this.db = openSqliteDatabase(
      options.path,
      SQLITE_SMS_CODE_MIGRATIONS,
      options.busyTimeoutMs,
    );
    const key =
      'environment = @environment AND phone = @phone AND purpose = @purpose';
    this.statements = {
      save: this.db.prepare(`
        INSERT INTO sms_codes (environment, phone, purpose, id, hash, attempts, created_at, expires_at)
        VALUES (@environment, @phone, @purpose, @id, @hash, @attempts, @created_at, @expires_at)
        ON CONFLICT (environment, phone, purpose) DO UPDATE SET
          id = excluded.id,
          hash = excluded.hash,
          attempts = excluded.attempts,
          created_at = excluded.created_at,
          expires_at = excluded.expires_at
      `),
      find: this.db.prepare(`SELECT * FROM sms_codes WHERE ${key}`),
      addAttempt: this.db
        .prepare<[KeyParameters & { id: string }], number>(
          `UPDATE sms_codes SET attempts = attempts + 1 WHERE ${key} AND id = @id RETURNING attempts`,
        )
        .pluck(),
      consume: this.db.prepare(
        `DELETE FROM sms_codes WHERE ${key} AND id = @id`,
      ),
      // In an upsert's SET, the bare column names are the row's values before this hit.
      hit: this.db.prepare(`
        INSERT INTO sms_code_counters (name, hits, window_ends_at)
        VALUES (@name, 1, @now + @windowMs)
        ON CONFLICT (name) DO UPDATE SET
          hits = CASE WHEN window_ends_at <= @now THEN 1 ELSE hits + 1 END,
          window_ends_at = CASE WHEN window_ends_at <= @now THEN @now + @windowMs ELSE window_ends_at END
        RETURNING hits, window_ends_at
      `),
      purgeCodes: this.db.prepare('DELETE FROM sms_codes WHERE expires_at < ?'),
      purgeCounters: this.db.prepare(
        'DELETE FROM sms_code_counters WHERE window_ends_at < ?',
      ),
    };
  }

  override async save(record: SmsCodeRecord): Promise<void> {
    this.statements.save.run({
      ...keyParameters(record),
      id: record.id,
      hash: record.hash,
      attempts: record.attempts,
      created_at: record.createdAt.getTime(),
      expires_at: record.expiresAt.getTime(),
    });
  }

  override async find(key: SmsCodeKey): Promise<SmsCodeRecord | undefined> {
    const row = this.statements.find.get(keyParameters(key));
    return (
      row && {
        environment: row.environment === '' ? null : row.environment,
        phone: row.phone,
        purpose: row.purpose as SmsCodePurpose,
        id: row.id,
        hash: row.hash,
        attempts: row.attempts,
        createdAt: new Date(row.created_at),
        expiresAt: new Date(row.expires_at),
      }
    );
  }

  override async addAttempt(
    key: SmsCodeKey,
    id: string,
  ): Promise<number | undefined> {
    return this.statements.addAttempt.get({ ...keyParameters(key), id });
  }

  override async consume(key: SmsCodeKey, id: string): Promise<boolean> {
    return (
      this.statements.consume.run({ ...keyParameters(key), id }).changes > 0
    );
  }

  override async hit(
    counter: string,
    windowMs: number,
    now: Date,
  ): Promise<SmsCodeCounter> {
    const row = this.statements.hit.get({
      name: counter,
      now: now.getTime(),
      windowMs,
    })!;
    return { count: row.hits, windowEndsAt: new Date(row.window_ends_at) };
  }

  override async purge(before: Date): Promise<void> {
    const cutOff = before.getTime();
    this.db.transaction(() => {
      this.statements.purgeCodes.run(cutOff);
      this.statements.purgeCounters.run(cutOff);
    })();
  }

  override async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function keyParameters(key: SmsCodeKey): KeyParameters {
  return {
    environment: key.environment ?? '',
    phone: key.phone,
    purpose: key.purpose,
  };
}
