import { randomUUID } from 'node:crypto';
import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';
import { openSqliteDatabase } from '../../database/sqlite-database.js';
import type { SmsSettings } from '@app/sms';
import {
  EnvironmentSettingsCache,
  type EnvironmentSettingsLoader,
  type RevisedSettings,
} from './environment-settings.cache.js';
import {
  EnvironmentSettingsStore,
  type PutEnvironmentSettingsResult,
} from './environment-settings.store.js';
import type { SettingsCipher } from '../../encryption/settings-cipher.js';
import { SQLITE_STORE_MIGRATIONS } from './sqlite-environment-settings.migrations.js';

/** Options of {@link SqliteEnvironmentSettingsStore}. */
export interface SqliteEnvironmentSettingsStoreOptions {
  /** The database file (its folder is created), or `:memory:`. */
  path: string;
  /** Encrypts and decrypts the secret fields. */
  cipher: SettingsCipher;
  /**
   * How many environments' settings are kept decrypted in memory.
   * @default 10000
   */
  cacheSize?: number;
  /**
   * How long a write waits for another process's write lock, in milliseconds.
   * @default 5000
   */
  busyTimeoutMs?: number;
}

interface SettingsRow {
  settings: string;
  secrets: string;
  key_id: string;
  revision: string;
}

/**
 * Environment settings in a SQLite file (WAL mode), for a single host or a few processes on one
 * machine. Changes made by another process are seen on the next `get`: SQLite's `data_version`
 * changes whenever another connection commits, which costs one pragma per read to check.
 */
export class SqliteEnvironmentSettingsStore extends EnvironmentSettingsStore {
  private readonly db: SqliteDatabase;
  private readonly cache: EnvironmentSettingsCache;
  private readonly cipher: SettingsCipher;
  private readonly loader: EnvironmentSettingsLoader;
  private readonly statements: {
    dataVersion: Statement<[], number>;
    revision: Statement<[string], string>;
    select: Statement<[string], SettingsRow>;
    exists: Statement<[string], number>;
    upsert: Statement<[Record<string, string>]>;
    delete: Statement<[string]>;
  };
  private dataVersion: number;

  /** Opens (creating when needed) the database and brings its schema up to date. */
  constructor(options: SqliteEnvironmentSettingsStoreOptions) {
    super();
    this.db = openSqliteDatabase(
      options.path,
      SQLITE_STORE_MIGRATIONS,
      options.busyTimeoutMs,
    );

    this.cipher = options.cipher;
    this.cache = new EnvironmentSettingsCache(options.cacheSize);
    this.statements = {
      dataVersion: this.db.prepare<[], number>('PRAGMA data_version').pluck(),
      revision: this.db
        .prepare<[string], string>(
          'SELECT revision FROM environment_settings WHERE environment = ?',
        )
        .pluck(),
      select: this.db.prepare<[string], SettingsRow>(
        'SELECT settings, secrets, key_id, revision FROM environment_settings WHERE environment = ?',
      ),
      exists: this.db
        .prepare<[string], number>(
          'SELECT 1 FROM environment_settings WHERE environment = ?',
        )
        .pluck(),
      upsert: this.db.prepare<[Record<string, string>]>(`
        INSERT INTO environment_settings
          (environment, settings, secrets, key_id, revision, created_at, updated_at)
        VALUES (@environment, @settings, @secrets, @keyId, @revision, @now, @now)
        ON CONFLICT (environment) DO UPDATE SET
          settings = excluded.settings,
          secrets = excluded.secrets,
          key_id = excluded.key_id,
          revision = excluded.revision,
          updated_at = excluded.updated_at
      `),
      delete: this.db.prepare<[string]>(
        'DELETE FROM environment_settings WHERE environment = ?',
      ),
    };
    this.dataVersion = this.statements.dataVersion.get() as number;
    this.loader = {
      revision: async (environment) =>
        this.statements.revision.get(environment),
      load: async (environment) => this.load(environment),
    };
  }

  override async get(environment: string): Promise<SmsSettings | undefined> {
    const dataVersion = this.statements.dataVersion.get() as number;
    if (dataVersion !== this.dataVersion) {
      this.dataVersion = dataVersion;
      this.cache.invalidateAll();
    }
    return this.cache.get(environment, this.loader);
  }

  override async put(
    environment: string,
    settings: SmsSettings,
  ): Promise<PutEnvironmentSettingsResult> {
    const sealed = this.cipher.seal(environment, settings);
    const write = this.db.transaction(() => {
      const existed = this.statements.exists.get(environment) !== undefined;
      this.statements.upsert.run({
        environment,
        settings: sealed.settings,
        secrets: sealed.secrets,
        keyId: sealed.keyId,
        revision: randomUUID(),
        now: new Date().toISOString(),
      });
      return { created: !existed };
    });
    try {
      return write.immediate();
    } finally {
      this.cache.forget(environment);
    }
  }

  override async delete(environment: string): Promise<boolean> {
    try {
      return this.statements.delete.run(environment).changes > 0;
    } finally {
      this.cache.forget(environment);
    }
  }

  override async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  override async close(): Promise<void> {
    this.cache.clear();
    if (this.db.open) this.db.close();
  }

  private load(environment: string): RevisedSettings | undefined {
    const row = this.statements.select.get(environment);
    if (!row) return undefined;
    const settings = this.cipher.open(environment, {
      settings: row.settings,
      secrets: row.secrets,
      keyId: row.key_id,
    });
    return { settings, revision: row.revision };
  }
}
