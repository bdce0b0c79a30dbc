import type { StoreMigration } from '../../database/store-migration.interface.js';

/** The SQLite store's schema, in order. Append; never edit a released migration. */
export const SQLITE_STORE_MIGRATIONS: readonly StoreMigration[] = [
  {
    version: 1,
    name: 'environment settings',
    up: `
      CREATE TABLE environment_settings (
        environment TEXT PRIMARY KEY,
        settings TEXT NOT NULL,
        secrets TEXT NOT NULL,
        key_id TEXT NOT NULL,
        revision TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
    `,
  },
];
