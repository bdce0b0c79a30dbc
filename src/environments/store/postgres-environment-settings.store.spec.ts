import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import {
  createEncryptionKeyRing,
  parseEncryptionKey,
} from '../../encryption/encryption-key.ring.js';
import { describeEnvironmentSettingsStoreContract } from '../../../test/contracts/environment-settings.store.contract.js';
import { applyPostgresMigrations } from '../../database/postgres-migrations.runner.js';
import { PostgresEnvironmentSettingsStore } from './postgres-environment-settings.store.js';
import { POSTGRES_STORE_MIGRATIONS } from './postgres-environment-settings.migrations.js';
import { SettingsCipher } from '../../encryption/settings-cipher.js';

const databaseUrl = process.env.DATABASE_URL;
const describeWithDatabase = databaseUrl ? describe : describe.skip;
const suffix = databaseUrl ? '' : ' (skipped: DATABASE_URL is not set)';

/** A connection string whose sessions use the given schema, so that tests do not share tables. */
function inSchema(schema: string): string {
  const url = new URL(databaseUrl!);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

/** Creates an empty schema for one test, with a pool whose sessions use it. */
async function createSchema() {
  const schema = `store_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = inSchema(schema);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  return {
    url,
    pool,
    drop: async () => {
      await pool.end();
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}

describeEnvironmentSettingsStoreContract(
  describeWithDatabase,
  `PostgresEnvironmentSettingsStore${suffix}`,
  () => ({
    seesOtherInstancesImmediately: false,
    async createDatabase() {
      const { url, pool, drop } = await createSchema();
      return {
        open: (keyRing) =>
          PostgresEnvironmentSettingsStore.open({
            connectionString: url,
            cipher: new SettingsCipher(keyRing),
          }),
        async dump() {
          const { rows: tables } = await pool.query<{ name: string }>(
            'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()',
          );
          const dumps: string[] = [];
          for (const { name } of tables) {
            const { rows } = await pool.query<{ row: string }>(
              `SELECT row_to_json(t)::text AS row FROM ${pg.escapeIdentifier(name)} t`,
            );
            dumps.push(...rows.map((r) => r.row));
          }
          return dumps.join('\n');
        },
        async execute(sql) {
          await pool.query(sql);
        },
        migrate: () => applyPostgresMigrations(pool, POSTGRES_STORE_MIGRATIONS),
        async appliedVersions() {
          const { rows } = await pool.query<{ version: number }>(
            'SELECT version FROM schema_migrations ORDER BY version',
          );
          return rows.map((row) => row.version);
        },
        destroy: drop,
      };
    },
  }),
);

describeWithDatabase(
  `PostgresEnvironmentSettingsStore listener${suffix}`,
  () => {
    const keyRing = createEncryptionKeyRing(
      parseEncryptionKey(randomBytes(32).toString('base64'), 'test key'),
    );
    const settings = (fromName: string) => ({
      type: 'GatewayApi',
      fromName,
      apiUrl: 'https://gatewayapi.example/rest/mtsms',
      clientSecret: 'listener-test-token',
    });

    it('sees changes while its change listener is down, and listens again once it can', async () => {
      const { url, drop } = await createSchema();
      const open = () =>
        PostgresEnvironmentSettingsStore.open({
          connectionString: url,
          cipher: new SettingsCipher(keyRing),
        });
      const reader = await open();
      const writer = await open();
      const environment = `listener-${randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: databaseUrl });
      await admin.connect();
      const listeners = async () =>
        (
          await admin.query<{ pid: number }>(
            `SELECT pid FROM pg_stat_activity
           WHERE pid <> pg_backend_pid() AND datname = current_database() AND query LIKE 'LISTEN %'`,
          )
        ).rows.map((row) => row.pid);
      try {
        await writer.put(environment, settings('Before'));
        expect((await reader.get(environment))?.fromName).toBe('Before');
        const before = await listeners();
        expect(before.length).toBeGreaterThanOrEqual(2);

        // Cut the LISTEN connections from the server side, as a failover or a restart would.
        await admin.query(
          'SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid',
          [before],
        );
        await writer.put(environment, settings('During'));
        await vi.waitFor(async () =>
          expect((await reader.get(environment))?.fromName).toBe('During'),
        );

        // Both instances listen again, on new connections.
        await vi.waitFor(
          async () => {
            const after = await listeners();
            expect(
              after.filter((pid) => !before.includes(pid)).length,
            ).toBeGreaterThanOrEqual(2);
          },
          { timeout: 15_000, interval: 100 },
        );
        await writer.put(environment, settings('After'));
        await vi.waitFor(async () =>
          expect((await reader.get(environment))?.fromName).toBe('After'),
        );
        const cached = await reader.get(environment);
        expect(await reader.get(environment)).toBe(cached);
      } finally {
        await admin.end();
        await reader.close();
        await writer.close();
        await drop();
      }
    });

    it('fails to open with a clear error when the database cannot be reached', async () => {
      const url = new URL(databaseUrl!);
      url.password = 'not-the-password';
      await expect(
        PostgresEnvironmentSettingsStore.open({
          connectionString: url.toString(),
          cipher: new SettingsCipher(keyRing),
        }),
      ).rejects.toThrow(/password authentication failed/);
    });
  },
);
