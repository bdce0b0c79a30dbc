import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  createEncryptionKeyRing,
  parseEncryptionKey,
} from '../../encryption/encryption-key.ring.js';
import { describeEnvironmentSettingsStoreContract } from '../../../test/contracts/environment-settings.store.contract.js';
import { SettingsCipher } from '../../encryption/settings-cipher.js';
import { applySqliteMigrations } from '../../database/sqlite-migrations.runner.js';
import { SqliteEnvironmentSettingsStore } from './sqlite-environment-settings.store.js';
import { SQLITE_STORE_MIGRATIONS } from './sqlite-environment-settings.migrations.js';

describeEnvironmentSettingsStoreContract(
  describe,
  'SqliteEnvironmentSettingsStore',
  () => ({
    seesOtherInstancesImmediately: true,
    async createDatabase() {
      const folder = mkdtempSync(join(tmpdir(), 'sms-store-'));
      // A folder that does not exist yet: the store creates it.
      const path = join(folder, 'data', 'sms.db');
      const withDatabase = <T>(work: (db: Database.Database) => T): T => {
        const db = new Database(path);
        try {
          return work(db);
        } finally {
          db.close();
        }
      };
      return {
        async open(keyRing) {
          return new SqliteEnvironmentSettingsStore({
            path,
            cipher: new SettingsCipher(keyRing),
          });
        },
        async dump() {
          const rows = withDatabase((db) => {
            const tables = db
              .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
              .pluck()
              .all() as string[];
            return tables.map((table) =>
              db.prepare(`SELECT * FROM "${table}"`).all(),
            );
          });
          // The raw files too: a secret written in clear would remain in a page of the file or the WAL.
          const files = readdirSync(join(folder, 'data')).map((file) =>
            readFileSync(join(folder, 'data', file)).toString('latin1'),
          );
          return [JSON.stringify(rows), ...files].join('\n');
        },
        async execute(sql) {
          withDatabase((db) => db.exec(sql));
        },
        async migrate() {
          return withDatabase((db) =>
            applySqliteMigrations(db, SQLITE_STORE_MIGRATIONS),
          );
        },
        async appliedVersions() {
          return withDatabase(
            (db) =>
              db
                .prepare(
                  'SELECT version FROM schema_migrations ORDER BY version',
                )
                .pluck()
                .all() as number[],
          );
        },
        async destroy() {
          rmSync(folder, { recursive: true, force: true });
        },
      };
    },
  }),
);

describe('SqliteEnvironmentSettingsStore in memory', () => {
  it('works without a file', async () => {
    const key = parseEncryptionKey(
      Buffer.alloc(32, 7).toString('base64'),
      'test key',
    );
    const store = new SqliteEnvironmentSettingsStore({
      path: ':memory:',
      cipher: new SettingsCipher(createEncryptionKeyRing(key)),
    });
    const settings = {
      type: 'GatewayApi',
      fromName: 'Acme',
      apiUrl: 'https://gatewayapi.example',
      clientSecret: 'memory-secret',
    };
    await store.put('memory', settings);
    expect(await store.get('memory')).toEqual(settings);
    await store.ping();
    await store.close();
    await expect(store.ping()).rejects.toThrow();
  });
});
