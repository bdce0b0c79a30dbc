import { describe, expect, it } from 'vitest';
import type { SmsCodeStore } from '@app/sms/codes/index.js';
import { describeSmsCodeStoreContract } from '../../../test/contracts/sms-code.store.contract.js';
import { applyPostgresMigrations } from '../../database/postgres-migrations.runner.js';
import { POSTGRES_STORE_MIGRATIONS } from '../../environments/store/postgres-environment-settings.migrations.js';
import { PostgresSmsCodeStore } from './postgres-sms-code.store.js';
import { POSTGRES_SMS_CODE_MIGRATIONS } from './sms-code-store.migrations.js';
import { createSmsCodeTestSchema } from './postgres-test-schema.fixture.js';

const databaseUrl = process.env.DATABASE_URL;
const describeWithDatabase = databaseUrl ? describe : describe.skip;
const suffix = databaseUrl ? '' : ' (skipped: DATABASE_URL is not set)';

describeSmsCodeStoreContract(
  describeWithDatabase,
  `PostgresSmsCodeStore${suffix}`,
  () => ({
    async createDatabase() {
      const { url, pool, drop } = await createSmsCodeTestSchema(databaseUrl!);
      const opened: SmsCodeStore[] = [];
      return {
        async open() {
          const store = await PostgresSmsCodeStore.open({
            connectionString: url,
          });
          opened.push(store);
          return store;
        },
        async dump() {
          const { rows } = await pool.query<{ row: string }>(`
            SELECT row_to_json(c)::text AS row FROM sms_codes c
            UNION ALL SELECT row_to_json(n)::text FROM sms_code_counters n`);
          return rows.map((r) => r.row).join('\n');
        },
        async destroy() {
          for (const store of opened) await store.close();
          await drop();
        },
      };
    },
  }),
);

describeWithDatabase(`PostgresSmsCodeStore schema${suffix}`, () => {
  it('shares a database with the environment settings store: both schemas, each applied once, even when instances start together', async () => {
    const { url, pool, drop } = await createSmsCodeTestSchema(databaseUrl!);
    try {
      const stores = await Promise.all(
        [1, 2, 3].map(() =>
          PostgresSmsCodeStore.open({ connectionString: url }),
        ),
      );
      for (const store of stores) await store.close();
      expect(
        await applyPostgresMigrations(pool, POSTGRES_STORE_MIGRATIONS),
      ).toEqual([1]);
      expect(
        await applyPostgresMigrations(pool, POSTGRES_SMS_CODE_MIGRATIONS),
      ).toEqual([]);
      const { rows } = await pool.query(
        'SELECT version, name FROM schema_migrations ORDER BY version',
      );
      expect(rows).toEqual([
        { version: 1, name: 'environment settings' },
        { version: 1001, name: 'sms codes and send counters' },
      ]);
    } finally {
      await drop();
    }
  });
});
