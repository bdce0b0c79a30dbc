import type { StoreMigration } from '../../database/store-migration.interface.js';

/** The PostgreSQL store's schema, in order. Append; never edit a released migration. */
export const POSTGRES_STORE_MIGRATIONS: readonly StoreMigration[] = [
  {
    version: 1,
    name: 'environment settings',
    // `settings` is text, not jsonb: the encryption authenticates its exact bytes.
    up: `
      CREATE TABLE environment_settings (
        environment text PRIMARY KEY,
        settings text NOT NULL,
        secrets text NOT NULL,
        key_id text NOT NULL,
        revision text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
];
