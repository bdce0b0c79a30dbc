import type { Pool } from 'pg';
import type { StoreMigration } from './store-migration.interface.js';

// Any fixed number works; it only has to be the same for every instance of the service.
const MIGRATION_LOCK_KEY = 620_145_378;

/**
 * Applies the migrations that `schema_migrations` does not list yet, in one transaction that holds
 * an advisory lock, so that instances starting together apply them once.
 *
 * @returns the versions applied now (empty when the schema was current)
 */
export async function applyPostgresMigrations(
  pool: Pool,
  migrations: readonly StoreMigration[],
): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [
      MIGRATION_LOCK_KEY,
    ]);
    await client.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )
    `);
    const { rows } = await client.query<{ version: number }>(
      'SELECT version FROM schema_migrations',
    );
    const done = new Set(rows.map((row) => row.version));
    const applied: number[] = [];
    for (const migration of [...migrations].sort(
      (a, b) => a.version - b.version,
    )) {
      if (done.has(migration.version)) continue;
      await client.query(migration.up);
      await client.query(
        'INSERT INTO schema_migrations (version, name) VALUES ($1, $2)',
        [migration.version, migration.name],
      );
      applied.push(migration.version);
    }
    await client.query('COMMIT');
    return applied;
  } catch (error) {
    // The original error is the one worth reporting; a failed rollback only repeats it.
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
