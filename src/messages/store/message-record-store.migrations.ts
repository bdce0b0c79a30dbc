import type { StoreMigration } from '../../database/store-migration.interface.js';

/*
 * The message record store shares `schema_migrations` with the other stores in the same database:
 * its versions start at 2001. Append; never edit a released migration.
 */

/**
 * The SQLite schema. Times are milliseconds since the epoch; environment '' is the site; `revision`
 * (the number of events) lets an update check that nobody changed the record since it was read.
 */
export const SQLITE_MESSAGE_RECORD_MIGRATIONS: readonly StoreMigration[] = [
  {
    version: 2001,
    name: 'sms message records',
    up: `
      CREATE TABLE sms_messages (
        id TEXT PRIMARY KEY,
        environment TEXT NOT NULL,
        provider TEXT NOT NULL,
        message_id TEXT,
        phone_hint TEXT NOT NULL,
        phone_hash TEXT NOT NULL,
        encoding TEXT NOT NULL,
        segments INTEGER NOT NULL,
        status TEXT NOT NULL,
        provider_status TEXT,
        error_code TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        failover_from TEXT,
        events TEXT NOT NULL,
        revision INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX sms_messages_phone ON sms_messages (phone_hash, environment, created_at);
      CREATE INDEX sms_messages_created_at ON sms_messages (created_at);
    `,
  },
];

/** The PostgreSQL schema. */
export const POSTGRES_MESSAGE_RECORD_MIGRATIONS: readonly StoreMigration[] = [
  {
    version: 2001,
    name: 'sms message records',
    up: `
      CREATE TABLE sms_messages (
        id text PRIMARY KEY,
        environment text NOT NULL,
        provider text NOT NULL,
        message_id text,
        phone_hint text NOT NULL,
        phone_hash text NOT NULL,
        encoding text NOT NULL,
        segments integer NOT NULL,
        status text NOT NULL,
        provider_status text,
        error_code text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        failover_from text,
        events text NOT NULL,
        revision integer NOT NULL
      );
      CREATE INDEX sms_messages_phone ON sms_messages (phone_hash, environment, created_at);
      CREATE INDEX sms_messages_created_at ON sms_messages (created_at);
    `,
  },
];
