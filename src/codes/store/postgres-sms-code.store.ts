import { Logger } from '@nestjs/common';
import type pg from 'pg';
import { createPostgresPool } from '../../database/postgres-pool.js';
import {
  SmsCodeStore,
  type SmsCodeCounter,
  type SmsCodeKey,
  type SmsCodePurpose,
  type SmsCodeRecord,
} from '@app/sms/codes/index.js';
import { applyPostgresMigrations } from '../../database/postgres-migrations.runner.js';
import { POSTGRES_SMS_CODE_MIGRATIONS } from './sms-code-store.migrations.js';

/** Options of {@link PostgresSmsCodeStore}. */
export interface PostgresSmsCodeStoreOptions {
  /** A `postgres://` connection string. */
  connectionString: string;
  /**
   * Connections in the pool.
   * @default 10
   */
  poolSize?: number;
}

interface CodeRow {
  environment: string;
  phone: string;
  purpose: string;
  id: string;
  hash: string;
  attempts: number;
  created_at: Date;
  expires_at: Date;
}

const KEY = 'environment = $1 AND phone = $2 AND purpose = $3';

const SAVE = `
  INSERT INTO sms_codes (environment, phone, purpose, id, hash, attempts, created_at, expires_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
  ON CONFLICT (environment, phone, purpose) DO UPDATE SET
    id = excluded.id,
    hash = excluded.hash,
    attempts = excluded.attempts,
    created_at = excluded.created_at,
    expires_at = excluded.expires_at`;

/*
 * One statement, so that concurrent instances count every hit exactly once: the conflicting row is
 * locked, and each waiting hit sees the count the previous one left. $1 name, $2 now, $3 window (ms).
 */
const HIT = `
  INSERT INTO sms_code_counters AS c (name, hits, window_ends_at)
  VALUES ($1, 1, $2::timestamptz + $3::bigint * interval '1 millisecond')
  ON CONFLICT (name) DO UPDATE SET
    hits = CASE WHEN c.window_ends_at <= $2::timestamptz THEN 1 ELSE c.hits + 1 END,
    window_ends_at = CASE
      WHEN c.window_ends_at <= $2::timestamptz
      THEN $2::timestamptz + $3::bigint * interval '1 millisecond'
      ELSE c.window_ends_at
    END
  RETURNING hits, window_ends_at`;

/**
 * Codes and send counters in PostgreSQL, shared by every instance of the service: each step is one
 * atomic statement, so the cooldowns, caps and attempt limits hold across instances. Times come
 * from the service's clock, not the database's, so that a controllable clock drives them in tests.
 */
export class PostgresSmsCodeStore extends SmsCodeStore {
  private readonly logger = new Logger('PostgresSmsCodeStore');
  private readonly pool: pg.Pool;

  private constructor(options: PostgresSmsCodeStoreOptions) {
    super();
    this.pool = createPostgresPool(
      options.connectionString,
      this.logger,
      options.poolSize,
    );
  }

  /** Connects and brings the schema up to date. */
  static async open(
    options: PostgresSmsCodeStoreOptions,
  ): Promise<PostgresSmsCodeStore> {
    const store = new PostgresSmsCodeStore(options);
    try {
      await applyPostgresMigrations(store.pool, POSTGRES_SMS_CODE_MIGRATIONS);
      return store;
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  override async save(record: SmsCodeRecord): Promise<void> {
    await this.pool.query(SAVE, [
      ...keyParameters(record),
      record.id,
      record.hash,
      record.attempts,
      record.createdAt,
      record.expiresAt,
    ]);
  }

  override async find(key: SmsCodeKey): Promise<SmsCodeRecord | undefined> {
    const { rows } = await this.pool.query<CodeRow>(
      `SELECT * FROM sms_codes WHERE ${KEY}`,
      keyParameters(key),
    );
    const row = rows[0];
    return (
      row && {
        environment: row.environment === '' ? null : row.environment,
        phone: row.phone,
        purpose: row.purpose as SmsCodePurpose,
        id: row.id,
        hash: row.hash,
        attempts: row.attempts,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
      }
    );
  }

  override async addAttempt(
    key: SmsCodeKey,
    id: string,
  ): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ attempts: number }>(
      `UPDATE sms_codes SET attempts = attempts + 1 WHERE ${KEY} AND id = $4 RETURNING attempts`,
      [...keyParameters(key), id],
    );
    return rows[0]?.attempts;
  }

  override async consume(key: SmsCodeKey, id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM sms_codes WHERE ${KEY} AND id = $4`,
      [...keyParameters(key), id],
    );
    return (rowCount ?? 0) > 0;
  }

  override async hit(
    counter: string,
    windowMs: number,
    now: Date,
  ): Promise<SmsCodeCounter> {
    const { rows } = await this.pool.query<{
      hits: number;
      window_ends_at: Date;
    }>(HIT, [counter, now, windowMs]);
    return { count: rows[0].hits, windowEndsAt: rows[0].window_ends_at };
  }

  override async purge(before: Date): Promise<void> {
    await this.pool.query('DELETE FROM sms_codes WHERE expires_at < $1', [
      before,
    ]);
    await this.pool.query(
      'DELETE FROM sms_code_counters WHERE window_ends_at < $1',
      [before],
    );
  }

  override async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }
}

function keyParameters(key: SmsCodeKey): [string, string, string] {
  return [key.environment ?? '', key.phone, key.purpose];
}
