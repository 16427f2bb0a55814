// Schema migrations: the SQL files of ../migrations, applied in name order, each once, each in its own
// transaction with its record in archive_migrations. A session advisory lock makes two processes that
// start at once take turns: the second finds the first's migrations recorded and applies nothing.
import { readdir, readFile } from 'node:fs/promises';
import type { Pool } from 'pg';

const MIGRATIONS = new URL('../migrations/', import.meta.url);
/** Any fixed number: the key of the advisory lock held while migrating (one per schema, see below). */
const LOCK_KEY = 'regatta-archive-migrations';

/** The names of the migrations applied by this call (none when the schema was up to date). */
export async function migrate(pool: Pool): Promise<string[]> {
  const files = (await readdir(MIGRATIONS)).filter((name) => name.endsWith('.sql')).sort();
  const client = await pool.connect();
  try {
    // Keyed by schema too, so test runs in their own schemas do not wait for each other.
    await client.query('SELECT pg_advisory_lock(hashtext($1 || current_schema()))', [LOCK_KEY]);
    try {
      await client.query('CREATE TABLE IF NOT EXISTS archive_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
      const done = new Set((await client.query<{ name: string }>('SELECT name FROM archive_migrations')).rows.map((row) => row.name));
      const applied: string[] = [];
      for (const name of files) {
        if (done.has(name)) continue;
        const sql = await readFile(new URL(name, MIGRATIONS), 'utf8');
        await client.query('BEGIN');
        try {
          await client.query(sql);
          await client.query('INSERT INTO archive_migrations (name) VALUES ($1)', [name]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw new Error(`archive migration ${name} failed: ${(error as Error).message}`, { cause: error });
        }
        applied.push(name);
      }
      return applied;
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1 || current_schema()))', [LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}
