import type { Database } from 'better-sqlite3';
import type { StoreMigration } from './store-migration.interface.js';

/**
 * Applies the migrations that `schema_migrations` does not list yet, all in one `BEGIN IMMEDIATE`
 * transaction, so that two processes opening the same file at once do not both apply them.
 *
 * @returns the versions applied now (empty when the schema was current)
 */
export function applySqliteMigrations(
  db: Database,
  migrations: readonly StoreMigration[],
): number[] {
  const apply = db.transaction(() => {
    db.exec(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        applied_at TEXT NOT NULL
      ) STRICT
    `);
    const done = new Set(
      db
        .prepare('SELECT version FROM schema_migrations')
        .pluck()
        .all() as number[],
    );
    const record = db.prepare(
      'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
    );
    const applied: number[] = [];
    for (const migration of [...migrations].sort(
      (a, b) => a.version - b.version,
    )) {
      if (done.has(migration.version)) continue;
      db.exec(migration.up);
      record.run(migration.version, migration.name, new Date().toISOString());
      applied.push(migration.version);
    }
    return applied;
  });
  return apply.immediate();
}
