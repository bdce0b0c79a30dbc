import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SmsCodePurpose } from '@app/sms/codes/sms-code-purpose.js';
import type {
  SmsCodeKey,
  SmsCodeRecord,
  SmsCodeStore,
} from '@app/sms/codes/store/sms-code.store.js';

/** One empty database for one test. */
export interface SmsCodeContractDatabase {
  /** Opens a store on this database; several may be open at once, as several service instances. */
  open(): Promise<SmsCodeStore>;
  /** Every value of every stored row, as text. */
  dump(): Promise<string>;
  /** Closes the stores opened and removes the database. */
  destroy(): Promise<void>;
}

/** How a store implementation is put through the contract. */
export interface SmsCodeContractHarness {
  createDatabase(): Promise<SmsCodeContractDatabase>;
}

const T0 = new Date('2030-01-01T12:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

/**
 * The behaviour every {@link SmsCodeStore} must have: round trips, one code per key, attempts,
 * single use, fixed-window counters, purging, and atomic steps under concurrency, also between
 * two instances on one database.
 */
export function describeSmsCodeStoreContract(
  describeFn: typeof describe | typeof describe.skip,
  name: string,
  harness: () => SmsCodeContractHarness,
): void {
  describeFn(name, () => {
    let database: SmsCodeContractDatabase;
    let store: SmsCodeStore;

    beforeEach(async () => {
      database = await harness().createDatabase();
      store = await database.open();
    });
    afterEach(async () => {
      await database?.destroy();
    });

    // Unique per test, so that tests sharing a server never meet.
    const phone = () =>
      `+4520${String(randomBytes(3).readUIntBE(0, 3) % 1_000_000).padStart(6, '0')}`;
    const keyOf = (
      purpose: SmsCodePurpose = 'two-factor',
      environment: string | null = 'tenant-a',
      number = phone(),
    ): SmsCodeKey => ({ environment, phone: number, purpose });
    const recordOf = (
      key: SmsCodeKey,
      overrides: Partial<SmsCodeRecord> = {},
    ): SmsCodeRecord => ({
      ...key,
      id: randomUUID(),
      hash: randomBytes(32).toString('base64url'),
      attempts: 0,
      createdAt: T0,
      expiresAt: at(300_000),
      ...overrides,
    });

    describe('codes', () => {
      it('returns what was saved, to the millisecond, and nothing for a key without a code', async () => {
        const key = keyOf();
        const record = recordOf(key, {
          createdAt: at(123),
          expiresAt: at(300_456),
        });
        await store.save(record);

        expect(await store.find(key)).toEqual(record);
        expect(
          await store.find({ ...key, purpose: 'set-password' }),
        ).toBeUndefined();
      });

      it('keeps the site (null) apart from every environment, and numbers and purposes apart', async () => {
        const number = phone();
        const keys = [
          keyOf('two-factor', null, number),
          keyOf('two-factor', 'tenant-a', number),
          keyOf('two-factor', 'tenant-b', number),
          keyOf('set-password', 'tenant-a', number),
          keyOf('two-factor', 'tenant-a', phone()),
        ];
        const records = keys.map((key) => recordOf(key));
        for (const record of records) await store.save(record);

        for (const [index, key] of keys.entries()) {
          expect((await store.find(key))?.id).toBe(records[index].id);
        }
      });

      it('replaces the code of the same key: the old one can no longer be tried or used', async () => {
        const key = keyOf();
        const first = recordOf(key);
        const second = recordOf(key, { createdAt: at(60_000) });
        await store.save(first);
        await store.addAttempt(key, first.id);
        await store.save(second);

        expect(await store.find(key)).toEqual(second);
        expect(await store.addAttempt(key, first.id)).toBeUndefined();
        expect(await store.consume(key, first.id)).toBe(false);
        expect((await store.find(key))?.attempts).toBe(0);
      });

      it('counts attempts of the stored code and answers undefined for a code it does not hold', async () => {
        const key = keyOf();
        const record = recordOf(key);
        await store.save(record);

        expect(await store.addAttempt(key, record.id)).toBe(1);
        expect(await store.addAttempt(key, record.id)).toBe(2);
        expect((await store.find(key))?.attempts).toBe(2);
        expect(await store.addAttempt(keyOf(), record.id)).toBeUndefined();
      });

      it('lets a code be consumed once', async () => {
        const key = keyOf();
        const record = recordOf(key);
        await store.save(record);

        expect(await store.consume(key, record.id)).toBe(true);
        expect(await store.consume(key, record.id)).toBe(false);
        expect(await store.find(key)).toBeUndefined();
        expect(await store.addAttempt(key, record.id)).toBeUndefined();
      });

      it('holds what it is given and nothing more: the hash, never a code', async () => {
        const key = keyOf();
        const record = recordOf(key);
        await store.save(record);

        const dump = await database.dump();
        expect(dump).toContain(record.hash);
        expect(dump).toContain(record.id);
      });
    });

    describe('counters', () => {
      it('counts hits in a fixed window that starts at the first hit', async () => {
        const counter = `phone:${phone()}`;
        const first = await store.hit(counter, 60_000, T0);
        const second = await store.hit(counter, 60_000, at(59_999));

        expect(first).toEqual({ count: 1, windowEndsAt: at(60_000) });
        expect(second).toEqual({ count: 2, windowEndsAt: at(60_000) });
      });

      it('starts a new window at the first hit after the window ended', async () => {
        const counter = `phone:${phone()}`;
        await store.hit(counter, 60_000, T0);
        await store.hit(counter, 60_000, at(1000));

        expect(await store.hit(counter, 60_000, at(60_000))).toEqual({
          count: 1,
          windowEndsAt: at(120_000),
        });
      });

      it('keeps counters apart', async () => {
        const a = `cooldown:${phone()}`;
        const b = `cooldown:${phone()}`;
        await store.hit(a, 60_000, T0);
        await store.hit(a, 60_000, T0);

        expect((await store.hit(b, 60_000, T0)).count).toBe(1);
        expect((await store.hit(a, 60_000, T0)).count).toBe(3);
      });
    });

    describe('purge', () => {
      it('deletes codes expired before the cut-off and counters whose window ended before it', async () => {
        const gone = recordOf(keyOf(), { expiresAt: at(1000) });
        const kept = recordOf(keyOf(), { expiresAt: at(5000) });
        const goneCounter = `environment:gone-${randomUUID()}`;
        const keptCounter = `environment:kept-${randomUUID()}`;
        await store.save(gone);
        await store.save(kept);
        await store.hit(goneCounter, 1000, T0);
        await store.hit(keptCounter, 5000, T0);

        await store.purge(at(2000));

        expect(await store.find(gone)).toBeUndefined();
        expect(await store.find(kept)).toEqual(kept);
        const dump = await database.dump();
        expect(dump).not.toContain(goneCounter);
        expect(dump).toContain(keptCounter);
        expect((await store.hit(keptCounter, 5000, at(2000))).count).toBe(2);
      });
    });

    describe('concurrency', () => {
      it('counts every one of many simultaneous hits exactly once, across two instances', async () => {
        const other = await database.open();
        const counter = `environment:${randomUUID()}`;
        const hits = await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            (i % 2 === 0 ? store : other).hit(counter, 3_600_000, T0),
          ),
        );

        expect(hits.map((h) => h.count).sort((a, b) => a - b)).toEqual(
          Array.from({ length: 40 }, (_, i) => i + 1),
        );
        expect(new Set(hits.map((h) => h.windowEndsAt.getTime()))).toEqual(
          new Set([at(3_600_000).getTime()]),
        );
      });

      it('counts every one of many simultaneous attempts exactly once, across two instances', async () => {
        const other = await database.open();
        const key = keyOf();
        const record = recordOf(key);
        await store.save(record);

        const attempts = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            (i % 2 === 0 ? store : other).addAttempt(key, record.id),
          ),
        );

        expect(attempts.sort((a, b) => a! - b!)).toEqual(
          Array.from({ length: 20 }, (_, i) => i + 1),
        );
      });

      it('lets exactly one of many simultaneous consumers have the code, across two instances', async () => {
        const other = await database.open();
        const key = keyOf();
        const record = recordOf(key);
        await store.save(record);

        const outcomes = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            (i % 2 === 0 ? store : other).consume(key, record.id),
          ),
        );

        expect(outcomes.filter(Boolean)).toHaveLength(1);
      });
    });
  });
}
