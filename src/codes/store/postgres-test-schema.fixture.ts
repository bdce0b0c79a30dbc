import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A schema of its own for one test, so that tests sharing a PostgreSQL server never share tables. */
export interface SmsCodeTestSchema {
  /** A connection string whose sessions use the schema. */
  url: string;
  /** A small pool on the schema, for looking inside it. */
  pool: pg.Pool;
  /** Closes the pool and drops the schema with everything in it. */
  drop: () => Promise<void>;
}

/** An empty schema for one test, a connection string whose sessions use it, and its removal. */
export async function createSmsCodeTestSchema(
  databaseUrl: string,
): Promise<SmsCodeTestSchema> {
  const schema = `sms_code_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  return {
    url: url.toString(),
    pool,
    drop: async () => {
      await pool.end();
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}
