import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import pg from 'pg';

/** Options of {@link PostgresThrottlerStorage}. Give a connection string or a pool. */
export interface PostgresThrottlerStorageOptions {
  /** A `postgres://` URL; the storage then owns its pool and closes it at shutdown. */
  connectionString?: string;
  /** A pool to share; it is not closed by the storage. */
  pool?: pg.Pool;
  /**
   * How often counters whose window and block are over are deleted, in milliseconds.
   * @default 60000
   */
  sweepIntervalMs?: number;
}

// UNLOGGED: counters are worth losing on a crash in exchange for writes that skip the WAL.
const CREATE_TABLE = `
  CREATE UNLOGGED TABLE IF NOT EXISTS throttler_hits (
    throttler text NOT NULL,
    key text NOT NULL,
    hits integer NOT NULL,
    expires_at timestamptz NOT NULL,
    blocked_until timestamptz,
    PRIMARY KEY (throttler, key)
  )`;

// Any fixed number works; it only has to be the same for every instance of the service.
const CREATE_TABLE_LOCK_KEY = 620_145_379;

/*
 * One statement, so that concurrent instances count every hit exactly once. Parameters: $1 throttler,
 * $2 key, $3 window (ms), $4 limit, $5 block duration (ms; 0 blocks until the window ends).
 * A row is "blocked" while blocked_until is in the future: hits are not counted then. When the window
 * is over, or a block has ended, a new window starts with this hit.
 */
const INCREMENT = `
  WITH input AS (
    SELECT $1::text AS throttler, $2::text AS key,
           $3::bigint * interval '1 millisecond' AS ttl,
           $4::integer AS "limit",
           $5::bigint * interval '1 millisecond' AS block
  )
  INSERT INTO throttler_hits AS h (throttler, key, hits, expires_at, blocked_until)
  SELECT throttler, key, 1, now() + ttl,
         CASE WHEN 1 > "limit" THEN now() + greatest(block, ttl) END
  FROM input
  ON CONFLICT (throttler, key) DO UPDATE SET
    hits = CASE
      WHEN h.blocked_until > now() THEN h.hits
      WHEN h.expires_at <= now() OR h.blocked_until IS NOT NULL THEN 1
      ELSE h.hits + 1
    END,
    expires_at = CASE
      WHEN h.expires_at <= now()
        OR (h.blocked_until IS NOT NULL AND h.blocked_until <= now())
      THEN now() + (SELECT ttl FROM input)
      ELSE h.expires_at
    END,
    blocked_until = CASE
      WHEN h.blocked_until > now() THEN h.blocked_until
      WHEN h.expires_at > now() AND h.blocked_until IS NULL
        AND h.hits + 1 > (SELECT "limit" FROM input)
      THEN CASE
        WHEN (SELECT block FROM input) > interval '0' THEN now() + (SELECT block FROM input)
        ELSE h.expires_at
      END
      WHEN (h.expires_at <= now() OR h.blocked_until IS NOT NULL)
        AND 1 > (SELECT "limit" FROM input)
      THEN now() + (SELECT greatest(block, ttl) FROM input)
    END
  RETURNING
    hits,
    greatest(0, ceil(extract(epoch FROM expires_at - now())))::integer AS time_to_expire,
    coalesce(blocked_until > now(), false) AS is_blocked,
    CASE WHEN blocked_until > now()
      THEN ceil(extract(epoch FROM blocked_until - now()))::integer
      ELSE 0
    END AS time_to_block_expire`;

const SWEEP = `
  DELETE FROM throttler_hits
  WHERE expires_at <= now() AND (blocked_until IS NULL OR blocked_until <= now())`;

/** What `ThrottlerStorage.increment` answers (the type is not exported by `@nestjs/throttler`). */
type ThrottlerStorageRecord = Awaited<
  ReturnType<ThrottlerStorage['increment']>
>;

interface IncrementRow {
  hits: number;
  time_to_expire: number;
  is_blocked: boolean;
  time_to_block_expire: number;
}

/**
 * `@nestjs/throttler` counters in PostgreSQL, so that every instance of the service shares the
 * test-send limits. Each hit is one atomic upsert; the database's clock decides windows and blocks,
 * so instances with drifting clocks still agree. A fixed window per key: `limit` hits, then blocked
 * for `blockDuration` (hits while blocked are not counted), then a new window.
 *
 * The table `throttler_hits` is created on first use.
 */
export class PostgresThrottlerStorage
  implements ThrottlerStorage, OnApplicationShutdown
{
  private readonly logger = new Logger('PostgresThrottlerStorage');
  private readonly pool: pg.Pool;
  private readonly ownsPool: boolean;
  private readonly sweepIntervalMs: number;
  private ready: Promise<void> | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(options: PostgresThrottlerStorageOptions) {
    if (options.pool) {
      this.pool = options.pool;
      this.ownsPool = false;
    } else if (options.connectionString) {
      this.pool = new pg.Pool({
        connectionString: options.connectionString,
        max: 5,
        connectionTimeoutMillis: 10_000,
      });
      this.pool.on('error', (error) =>
        this.logger.warn(
          `An idle PostgreSQL connection failed: ${error.message}`,
        ),
      );
      this.ownsPool = true;
    } else {
      throw new Error(
        'PostgresThrottlerStorage needs a connectionString or a pool.',
      );
    }
    this.sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
  }

  /** Counts one hit of `key` under the named throttler; see `ThrottlerStorage`. */
  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    await this.ensureTable();
    const { rows } = await this.pool.query<IncrementRow>(INCREMENT, [
      throttlerName,
      key,
      Math.max(0, Math.round(ttl)),
      limit,
      Math.max(0, Math.round(blockDuration)),
    ]);
    const row = rows[0];
    return {
      totalHits: row.hits,
      timeToExpire: row.time_to_expire,
      isBlocked: row.is_blocked,
      timeToBlockExpire: row.time_to_block_expire,
    };
  }

  /** Deletes counters whose window and block are over; returns how many. Runs on a timer too. */
  async sweep(): Promise<number> {
    await this.ensureTable();
    return (await this.pool.query(SWEEP)).rowCount ?? 0;
  }

  /** Stops the sweep timer and closes the pool when the storage owns it. */
  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    if (this.ownsPool && !this.pool.ended) await this.pool.end();
  }

  private ensureTable(): Promise<void> {
    this.ready ??= this.createTable().catch((error: unknown) => {
      // A failed attempt (the database was down) must not fail every later hit.
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  private async createTable(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // Concurrent CREATE TABLE IF NOT EXISTS can still collide; the lock makes instances take turns.
      await client.query('SELECT pg_advisory_xact_lock($1)', [
        CREATE_TABLE_LOCK_KEY,
      ]);
      await client.query(CREATE_TABLE);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    this.sweepTimer = setInterval(() => {
      this.sweep().catch((error: Error) =>
        this.logger.warn(
          `Deleting expired throttler counters failed: ${error.message}`,
        ),
      );
    }, this.sweepIntervalMs);
    this.sweepTimer.unref();
  }
}
