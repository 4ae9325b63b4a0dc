import { fileURLToPath } from 'node:url';
import type { Pool } from 'pg';
import { readMigrations } from '../../store/postgres/migrate.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
/** Not the host's lock: the span store migrates on its own pool, whenever it opens. */
const LOCK_NAME = 'algorhythm.agent-host.trace-migrations';

/**
 * The span store's numbered SQL files (`migrations/000001.sql`…), recorded in `trace_migrations`: its own
 * sequence beside the host's (`host_migrations`), since it opens and evolves apart from the conversations,
 * as its SQLite file does. Same runner shape as store/postgres/migrate.ts: a session advisory lock, one
 * transaction per file; replicas starting together apply each file once.
 */
export async function migrateTraces(pool: Pool): Promise<void> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [LOCK_NAME]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS trace_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const { rows } = await client.query<{ version: number }>('SELECT version FROM trace_migrations');
      const done = new Set(rows.map((row) => row.version));
      for (const migration of readMigrations(MIGRATIONS_DIR)) {
        if (done.has(migration.version)) continue;
        try {
          await client.query('BEGIN');
          await client.query(migration.sql);
          await client.query('INSERT INTO trace_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          throw new Error(`trace store migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [LOCK_NAME]).catch((error: Error) => {
        broken = error; // drop the connection rather than pool it with the lock held
      });
    }
  } finally {
    client.release(broken);
  }
}
