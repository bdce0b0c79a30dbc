import type { Logger } from '@nestjs/common';
import pg from 'pg';

/** Opens a PostgreSQL pool whose broken idle connections are logged instead of crashing the process. */
export function createPostgresPool(
  connectionString: string,
  logger: Logger,
  max = 10,
): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    // Without it a request waits forever for a connection when the server is gone.
    connectionTimeoutMillis: 10_000,
  });
  // An idle connection that breaks must not crash the process; the next query gets a new one.
  pool.on('error', (error) =>
    logger.warn(`An idle PostgreSQL connection failed: ${error.message}`),
  );
  return pool;
}
