import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SmsMessageRecord } from '@app/sms';
import { createSmsCodeTestSchema } from '../../codes/store/postgres-test-schema.fixture.js';
import type { MessageRecordStore } from './message-record.store.js';
import { PostgresMessageRecordStore } from './postgres-message-record.store.js';
import { SqliteMessageRecordStore } from './sqlite-message-record.store.js';

const databaseUrl = process.env.DATABASE_URL;
const describeWithDatabase = databaseUrl ? describe : describe.skip;
const skipped = databaseUrl ? '' : ' (skipped: DATABASE_URL is not set)';

/** Two instances on one database, as two service processes would open it. */
interface TwoInstances {
  first: MessageRecordStore;
  second: MessageRecordStore;
  destroy(): Promise<void>;
}

const at = (iso: string) => new Date(iso);

function record(overrides: Partial<SmsMessageRecord> = {}): SmsMessageRecord {
  const createdAt = overrides.createdAt ?? at('2030-01-01T12:00:00.000Z');
  return {
    id: '5a0e8d1c-3b2f-4c6d-9e7a-1b2c3d4e5f60',
    environment: null,
    provider: 'GatewayApi',
    messageId: '421332671',
    phone: '+45•••••678',
    phoneHash: 'a'.repeat(64),
    encoding: 'GSM-7',
    segments: 1,
    status: 'accepted',
    providerStatus: null,
    errorCode: null,
    createdAt,
    updatedAt: createdAt,
    failoverFrom: null,
    events: [{ status: 'accepted', providerStatus: null, at: createdAt }],
    ...overrides,
  };
}

function describeStores(
  name: string,
  run: typeof describe | typeof describe.skip,
  open: () => Promise<TwoInstances>,
) {
  run(name, () => {
    let stores: TwoInstances;
    beforeEach(async () => {
      stores = await open();
    });
    afterEach(async () => {
      await stores.destroy();
    });

    it('keeps a record as written, and shows an update to the other instance', async () => {
      const written = record();
      await stores.first.create(written);
      expect(await stores.second.get(written.id)).toEqual(written);

      const delivered = {
        ...written,
        status: 'delivered' as const,
        providerStatus: 'DELIVERED',
        updatedAt: at('2030-01-01T12:00:05.000Z'),
        events: [
          ...written.events,
          {
            status: 'delivered' as const,
            providerStatus: 'DELIVERED',
            at: at('2030-01-01T12:00:05.000Z'),
          },
        ],
      };
      expect(await stores.second.update(delivered, written)).toBe(true);
      expect(await stores.first.get(written.id)).toEqual(delivered);
      // An update made from what was read before the last one changes nothing.
      expect(
        await stores.first.update({ ...delivered, status: 'pending' }, written),
      ).toBe(false);
      expect(await stores.second.get(written.id)).toEqual(delivered);
      expect(await stores.first.get('unknown')).toBeUndefined();
    });

    it('lists one number of one environment newest first, up to the limit', async () => {
      const ids = ['1', '2', '3'].map(
        (n) => `00000000-0000-4000-8000-00000000000${n}`,
      );
      for (const [index, id] of ids.entries())
        await stores.first.create(
          record({ id, createdAt: at(`2030-01-0${index + 1}T00:00:00.000Z`) }),
        );
      await stores.first.create(
        record({ id: 'other-env', environment: 'acme' }),
      );
      await stores.first.create(
        record({ id: 'other-number', phoneHash: 'b'.repeat(64) }),
      );
      const query = { phoneHash: 'a'.repeat(64), environment: null, limit: 2 };
      expect((await stores.second.findByPhone(query)).map((r) => r.id)).toEqual(
        [ids[2], ids[1]],
      );
      expect(
        (
          await stores.second.findByPhone({ ...query, environment: 'acme' })
        ).map((r) => r.id),
      ).toEqual(['other-env']);
    });

    it('deletes the records created before the cut-off', async () => {
      await stores.first.create(
        record({ id: 'old', createdAt: at('2030-01-01T00:00:00.000Z') }),
      );
      await stores.first.create(
        record({ id: 'new', createdAt: at('2030-02-01T00:00:00.000Z') }),
      );
      expect(
        await stores.second.deleteBefore(at('2030-01-15T00:00:00.000Z')),
      ).toBe(1);
      expect(await stores.first.get('old')).toBeUndefined();
      expect(await stores.first.get('new')).toBeDefined();
    });
  });
}

describeStores('SqliteMessageRecordStore', describe, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nest-sms-records-'));
  const path = join(dir, 'sms.db');
  const first = new SqliteMessageRecordStore({ path });
  const second = new SqliteMessageRecordStore({ path });
  return {
    first,
    second,
    async destroy() {
      await first.close();
      await second.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describeStores(
  `PostgresMessageRecordStore${skipped}`,
  describeWithDatabase,
  async () => {
    const schema = await createSmsCodeTestSchema(databaseUrl!);
    const first = await PostgresMessageRecordStore.open({
      connectionString: schema.url,
    });
    const second = await PostgresMessageRecordStore.open({
      connectionString: schema.url,
    });
    return {
      first,
      second,
      async destroy() {
        await first.close();
        await second.close();
        await schema.drop();
      },
    };
  },
);
