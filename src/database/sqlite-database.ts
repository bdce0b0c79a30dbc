import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database, { type Database as SqliteDatabase } from 'better-sqlite3';
import { applySqliteMigrations } from './sqlite-migrations.runner.js';
import type { StoreMigration } from './store-migration.interface.js';
import { SQLITE_MEMORY_PATH } from './store-url.js';

/**
 * Opens a SQLite database (creating its folder when needed) in WAL mode and brings its schema up
 * to date with the given migrations.
 */
export function openSqliteDatabase(
  path: string,
  migrations: readonly StoreMigration[],
  busyTimeoutMs = 5000,
): SqliteDatabase {
  if (path !== SQLITE_MEMORY_PATH) {
    mkdirSync(dirname(path), { recursive: true });
  }
  const db = new Database(path, { timeout: busyTimeoutMs });
  db.pragma('journal_mode = WAL');
  // With WAL, NORMAL loses no committed data on a process crash, only on a power cut.
  db.pragma('synchronous = NORMAL');
  applySqliteMigrations(db, migrations);
  return db;
}
