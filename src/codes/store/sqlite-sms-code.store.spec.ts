import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { SmsCodeStore } from '@app/sms/codes/index.js';
import { describeSmsCodeStoreContract } from '../../../test/contracts/sms-code.store.contract.js';
import { applySqliteMigrations } from '../../database/sqlite-migrations.runner.js';
import { SQLITE_STORE_MIGRATIONS } from '../../environments/store/sqlite-environment-settings.migrations.js';
import { SQLITE_SMS_CODE_MIGRATIONS } from './sms-code-store.migrations.js';
import { SqliteSmsCodeStore } from './sqlite-sms-code.store.js';

/** A temporary folder with a database file path in it. */
async function temporaryDatabase() {
  const dir = await mkdtemp(join(tmpdir(), 'sms-code-store-'));
  return { dir, path: join(dir, 'data', 'sms.db') };
}

describeSmsCodeStoreContract(describe, 'SqliteSmsCodeStore', () => ({
  async createDatabase() {
    const { dir, path } = await temporaryDatabase();
    const opened: SmsCodeStore[] = [];
    return {
      async open() {
        const store = new SqliteSmsCodeStore({ path });
        opened.push(store);
        return store;
      },
      async dump() {
        const db = new Database(path, { readonly: true });
        try {
          return JSON.stringify([
            db.prepare('SELECT * FROM sms_codes').all(),
            db.prepare('SELECT * FROM sms_code_counters').all(),
          ]);
        } finally {
          db.close();
        }
      },
      async destroy() {
        for (const store of opened) await store.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
}));

describe('SqliteSmsCodeStore schema', () => {
  it('shares a database with the environment settings store: both schemas, each applied once', async () => {
    const { dir, path } = await temporaryDatabase();
    try {
      const first = new SqliteSmsCodeStore({ path });
      await first.close();
      const db = new Database(path);
      try {
        expect(applySqliteMigrations(db, SQLITE_STORE_MIGRATIONS)).toEqual([1]);
        expect(applySqliteMigrations(db, SQLITE_SMS_CODE_MIGRATIONS)).toEqual(
          [],
        );
        expect(
          db
            .prepare(
              'SELECT version, name FROM schema_migrations ORDER BY version',
            )
            .all(),
        ).toEqual([
          { version: 1, name: 'environment settings' },
          { version: 1001, name: 'sms codes and send counters' },
        ]);
      } finally {
        db.close();
      }
      // Opening again on a current schema changes nothing and keeps the data.
      const again = new SqliteSmsCodeStore({ path });
      expect((await again.hit('counter', 60_000, new Date(0))).count).toBe(1);
      await again.close();
      const reopened = new SqliteSmsCodeStore({ path });
      expect((await reopened.hit('counter', 60_000, new Date(1))).count).toBe(
        2,
      );
      await reopened.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
