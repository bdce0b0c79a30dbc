import type { StoreMigration } from '../../database/store-migration.interface.js';

/*
 * The code store shares `schema_migrations` with the environment settings store, which may live in
 * the same database: its versions start at 1001 so that the two sequences never meet. Append; never
 * edit a released migration.
 */

/** The SQLite schema of the code store. Times are milliseconds since the epoch. */
export const SQLITE_SMS_CODE_MIGRATIONS: readonly StoreMigration[] = [
  {
    version: 1001,
    name: 'sms codes and send counters',
    // environment is '' for the site: a primary key column cannot hold NULL.
    up: `
      CREATE TABLE sms_codes (
        environment TEXT NOT NULL,
        phone TEXT NOT NULL,
        purpose TEXT NOT NULL,
        id TEXT NOT NULL,
        hash TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (environment, phone, purpose)
      ) STRICT;
      CREATE INDEX sms_codes_expires_at ON sms_codes (expires_at);
      CREATE TABLE sms_code_counters (
        name TEXT PRIMARY KEY,
        hits INTEGER NOT NULL,
        window_ends_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX sms_code_counters_window_ends_at ON sms_code_counters (window_ends_at);
    `,
  },
];

/** The PostgreSQL schema of the code store. */
export const POSTGRES_SMS_CODE_MIGRATIONS: readonly StoreMigration[] = [
  {
    version: 1001,
    name: 'sms codes and send counters',
    up: `
      CREATE TABLE sms_codes (
        environment text NOT NULL,
        phone text NOT NULL,
        purpose text NOT NULL,
        id text NOT NULL,
        hash text NOT NULL,
        attempts integer NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (environment, phone, purpose)
      );
      CREATE INDEX sms_codes_expires_at ON sms_codes (expires_at);
      CREATE TABLE sms_code_counters (
        name text PRIMARY KEY,
        hits integer NOT NULL,
        window_ends_at timestamptz NOT NULL
      );
      CREATE INDEX sms_code_counters_window_ends_at ON sms_code_counters (window_ends_at);
    `,
  },
];
