// Archive tests share the machine's PostgreSQL: each run works in a schema of its own and drops it
// afterwards. No PostgreSQL answering fails the tests (they never skip).
import { randomUUID } from 'node:crypto';
import pg from 'pg';

export const ARCHIVE_DATABASE_URL = process.env.ARCHIVE_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function uniqueSchema(): string {
  return `regatta_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: ARCHIVE_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
