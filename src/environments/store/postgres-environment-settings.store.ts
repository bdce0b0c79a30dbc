import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type pg from 'pg';
import { createPostgresPool } from '../../database/postgres-pool.js';
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
import { PostgresChangeListener } from '../../database/postgres-change.listener.js';
import { applyPostgresMigrations } from '../../database/postgres-migrations.runner.js';
import { POSTGRES_STORE_MIGRATIONS } from './postgres-environment-settings.migrations.js';
import type { SettingsCipher } from '../../encryption/settings-cipher.js';

/** The channel on which writes announce the environment whose settings changed. */
export const ENVIRONMENT_SETTINGS_CHANNEL = 'nest_sms_environment_settings';

/** Options of {@link PostgresEnvironmentSettingsStore}. */
export interface PostgresEnvironmentSettingsStoreOptions {
  /** A `postgres://` connection string. */
  connectionString: string;
  /** Encrypts and decrypts the secret fields. */
  cipher: SettingsCipher;
  /**
   * How many environments' settings are kept decrypted in memory.
   * @default 10000
   */
  cacheSize?: number;
  /**
   * Connections in the pool (the change listener holds one more).
   * @default 10
   */
  poolSize?: number;
}

interface SettingsRow {
  settings: string;
  secrets: string;
  key_id: string;
  revision: string;
}

/**
 * Environment settings in PostgreSQL, shared by every instance of the service. Each write sends a
 * `NOTIFY` in its own statement, so it is delivered when the write commits; every instance `LISTEN`s
 * on a dedicated connection and drops that environment from its cache. While that connection is
 * down, reads check the revision in the database instead of trusting the cache.
 */
export class PostgresEnvironmentSettingsStore extends EnvironmentSettingsStore {
  private readonly logger = new Logger('PostgresEnvironmentSettingsStore');
  private readonly pool: pg.Pool;
  private readonly cache: EnvironmentSettingsCache;
  private readonly listener: PostgresChangeListener;
  private readonly loader: EnvironmentSettingsLoader;

  private constructor(
    private readonly options: PostgresEnvironmentSettingsStoreOptions,
  ) {
    super();
    this.pool = createPostgresPool(
      options.connectionString,
      this.logger,
      options.poolSize,
    );
    this.cache = new EnvironmentSettingsCache(options.cacheSize);
    this.listener = new PostgresChangeListener({
      connectionString: options.connectionString,
      channel: ENVIRONMENT_SETTINGS_CHANNEL,
      onNotification: (environment) => this.cache.invalidate(environment),
      onGap: () => this.cache.invalidateAll(),
    });
    this.loader = {
      revision: async (environment) => {
        const { rows } = await this.pool.query<{ revision: string }>(
          'SELECT revision FROM environment_settings WHERE environment = $1',
          [environment],
        );
        return rows[0]?.revision;
      },
      load: (environment) => this.load(environment),
    };
  }

  /** Connects, brings the schema up to date and starts listening for changes. */
  static async open(
    options: PostgresEnvironmentSettingsStoreOptions,
  ): Promise<PostgresEnvironmentSettingsStore> {
    const store = new PostgresEnvironmentSettingsStore(options);
    try {
      await applyPostgresMigrations(store.pool, POSTGRES_STORE_MIGRATIONS);
      await store.listener.start();
      return store;
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  override async get(environment: string): Promise<SmsSettings | undefined> {
    if (!this.listener.listening) this.cache.invalidateAll();
    return this.cache.get(environment, this.loader);
  }

  override async put(
    environment: string,
    settings: SmsSettings,
  ): Promise<PutEnvironmentSettingsResult> {
    const sealed = this.options.cipher.seal(environment, settings);
    try {
      // One statement: the write and its notice commit together. `xmax = 0` marks an inserted row.
      const { rows } = await this.pool.query<{ created: boolean }>(
        `WITH written AS (
           INSERT INTO environment_settings (environment, settings, secrets, key_id, revision)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (environment) DO UPDATE SET
             settings = excluded.settings,
             secrets = excluded.secrets,
             key_id = excluded.key_id,
             revision = excluded.revision,
             updated_at = now()
           RETURNING environment, xmax = 0 AS created
         )
         SELECT created, pg_notify($6, environment) FROM written`,
        [
          environment,
          sealed.settings,
          sealed.secrets,
          sealed.keyId,
          randomUUID(),
          ENVIRONMENT_SETTINGS_CHANNEL,
        ],
      );
      return { created: rows[0].created };
    } finally {
      this.cache.forget(environment);
    }
  }

  override async delete(environment: string): Promise<boolean> {
    try {
      const { rowCount } = await this.pool.query(
        `WITH removed AS (
           DELETE FROM environment_settings WHERE environment = $1 RETURNING environment
         )
         SELECT pg_notify($2, environment) FROM removed`,
        [environment, ENVIRONMENT_SETTINGS_CHANNEL],
      );
      return (rowCount ?? 0) > 0;
    } finally {
      this.cache.forget(environment);
    }
  }

  override async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  override async close(): Promise<void> {
    this.cache.clear();
    await this.listener.close();
    if (!this.pool.ended) await this.pool.end();
  }

  private async load(
    environment: string,
  ): Promise<RevisedSettings | undefined> {
    const { rows } = await this.pool.query<SettingsRow>(
      'SELECT settings, secrets, key_id, revision FROM environment_settings WHERE environment = $1',
      [environment],
    );
    const row = rows[0];
    if (!row) return undefined;
    const settings = this.options.cipher.open(environment, {
      settings: row.settings,
      secrets: row.secrets,
      keyId: row.key_id,
    });
    return { settings, revision: row.revision };
  }
}
