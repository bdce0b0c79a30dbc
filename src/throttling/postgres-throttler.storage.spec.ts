import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresThrottlerStorage } from './postgres-throttler.storage.js';

const databaseUrl = process.env.DATABASE_URL;
const describeWithDatabase = databaseUrl ? describe : describe.skip;
const suffix = databaseUrl ? '' : ' (skipped: DATABASE_URL is not set)';

const MINUTE = 60_000;

describeWithDatabase(`PostgresThrottlerStorage${suffix}`, () => {
  const schema = `throttler_test_${randomBytes(6).toString('hex')}`;
  let url: string;
  let admin: pg.Pool;
  let storage: PostgresThrottlerStorage;
  const storages: PostgresThrottlerStorage[] = [];

  const open = () => {
    const created = new PostgresThrottlerStorage({ connectionString: url });
    storages.push(created);
    return created;
  };
  const uniqueKey = () => `key-${randomBytes(6).toString('hex')}`;
  /** Moves a counter's window or block into the past, as the passing of time would. */
  const expire = (key: string, column: 'expires_at' | 'blocked_until') =>
    admin.query(
      `UPDATE throttler_hits SET ${column} = now() - interval '1 second' WHERE key = $1`,
      [key],
    );

  beforeAll(async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.end();
    const withSchema = new URL(databaseUrl!);
    withSchema.searchParams.set('options', `-c search_path=${schema}`);
    url = withSchema.toString();
    admin = new pg.Pool({ connectionString: url, max: 2 });
    storage = open();
  });

  afterAll(async () => {
    await Promise.all(storages.map((item) => item.onApplicationShutdown()));
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  });

  it('counts hits in a window and blocks the one over the limit for the block duration', async () => {
    const key = uniqueKey();
    for (let hit = 1; hit <= 3; hit++) {
      const record = await storage.increment(
        key,
        MINUTE,
        3,
        2 * MINUTE,
        'phone',
      );
      expect(record).toMatchObject({
        totalHits: hit,
        isBlocked: false,
        timeToBlockExpire: 0,
      });
      expect(record.timeToExpire).toBeGreaterThan(50);
      expect(record.timeToExpire).toBeLessThanOrEqual(60);
    }
    const blocked = await storage.increment(
      key,
      MINUTE,
      3,
      2 * MINUTE,
      'phone',
    );
    expect(blocked).toMatchObject({ totalHits: 4, isBlocked: true });
    expect(blocked.timeToBlockExpire).toBeGreaterThan(110);
    expect(blocked.timeToBlockExpire).toBeLessThanOrEqual(120);
    // Hits while blocked are refused and not counted.
    expect(
      await storage.increment(key, MINUTE, 3, 2 * MINUTE, 'phone'),
    ).toMatchObject({
      totalHits: 4,
      isBlocked: true,
    });
  });

  it('starts a new window when the block is over', async () => {
    const key = uniqueKey();
    for (let hit = 0; hit < 3; hit++)
      await storage.increment(key, MINUTE, 2, MINUTE, 'phone');
    await expire(key, 'blocked_until');
    expect(
      await storage.increment(key, MINUTE, 2, MINUTE, 'phone'),
    ).toMatchObject({
      totalHits: 1,
      isBlocked: false,
    });
  });

  it('starts a new window when the window is over', async () => {
    const key = uniqueKey();
    await storage.increment(key, MINUTE, 5, MINUTE, 'phone');
    await storage.increment(key, MINUTE, 5, MINUTE, 'phone');
    await expire(key, 'expires_at');
    expect(
      await storage.increment(key, MINUTE, 5, MINUTE, 'phone'),
    ).toMatchObject({
      totalHits: 1,
      isBlocked: false,
    });
  });

  it('without a block duration, blocks until the window ends', async () => {
    const key = uniqueKey();
    await storage.increment(key, MINUTE, 1, 0, 'phone');
    const blocked = await storage.increment(key, MINUTE, 1, 0, 'phone');
    expect(blocked.isBlocked).toBe(true);
    expect(blocked.timeToBlockExpire).toBe(blocked.timeToExpire);
  });

  it('keeps keys and throttlers apart', async () => {
    const key = uniqueKey();
    await storage.increment(key, MINUTE, 1, MINUTE, 'phone');
    expect(
      (await storage.increment(key, MINUTE, 1, MINUTE, 'phone')).isBlocked,
    ).toBe(true);
    expect(
      (await storage.increment(key, MINUTE, 1, MINUTE, 'key')).isBlocked,
    ).toBe(false);
    expect(
      (await storage.increment(uniqueKey(), MINUTE, 1, MINUTE, 'phone'))
        .isBlocked,
    ).toBe(false);
  });

  it('shares the counts between instances', async () => {
    const key = uniqueKey();
    const other = open();
    await storage.increment(key, MINUTE, 3, MINUTE, 'phone');
    await other.increment(key, MINUTE, 3, MINUTE, 'phone');
    await storage.increment(key, MINUTE, 3, MINUTE, 'phone');
    expect(
      await other.increment(key, MINUTE, 3, MINUTE, 'phone'),
    ).toMatchObject({
      totalHits: 4,
      isBlocked: true,
    });
  });

  it('counts every one of many concurrent hits exactly once', async () => {
    const key = uniqueKey();
    const instances = [storage, open(), open()];
    const records = await Promise.all(
      Array.from({ length: 60 }, (_, index) =>
        instances[index % instances.length].increment(
          key,
          MINUTE,
          50,
          MINUTE,
          'phone',
        ),
      ),
    );
    const counted = records
      .filter((record) => !record.isBlocked)
      .map((record) => record.totalHits);
    expect(counted.sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    expect(records.filter((record) => record.isBlocked)).toHaveLength(10);
  });

  it('sweeps counters whose window and block are over, and only those', async () => {
    const done = uniqueKey();
    const live = uniqueKey();
    await storage.increment(done, MINUTE, 5, MINUTE, 'phone');
    await storage.increment(live, MINUTE, 5, MINUTE, 'phone');
    await expire(done, 'expires_at');
    expect(await storage.sweep()).toBeGreaterThanOrEqual(1);
    const { rows } = await admin.query<{ key: string }>(
      'SELECT key FROM throttler_hits WHERE key = ANY($1)',
      [[done, live]],
    );
    expect(rows.map((row) => row.key)).toEqual([live]);
  });

  it('creates its table once even when instances start together', async () => {
    const fresh = `throttler_test_${randomBytes(6).toString('hex')}`;
    await admin.query(`CREATE SCHEMA ${fresh}`);
    const freshUrl = new URL(databaseUrl!);
    freshUrl.searchParams.set('options', `-c search_path=${fresh}`);
    const together = Array.from(
      { length: 4 },
      () =>
        new PostgresThrottlerStorage({ connectionString: freshUrl.toString() }),
    );
    storages.push(...together);
    const records = await Promise.all(
      together.map((item) =>
        item.increment('same', MINUTE, 10, MINUTE, 'phone'),
      ),
    );
    expect(
      records.map((record) => record.totalHits).sort((a, b) => a - b),
    ).toEqual([1, 2, 3, 4]);
    await admin.query(`DROP SCHEMA ${fresh} CASCADE`);
  });
});
