import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Pool } from 'pg';

/** A numbered SQL file, `000001.sql`…: applied once, in order, each in its own transaction. */
export type PostgresMigration = { version: number; name: string; sql: string };

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
/** Held while migrating, so replicas starting together apply each file once, one after the other. */
const LOCK_NAME = 'algorhythm.support-mcp.migrations';

export function readMigrations(dir = MIGRATIONS_DIR): PostgresMigration[] {
  return readdirSync(dir)
    .filter((name) => /^\d{6}\.sql$/.test(name))
    .sort()
    .map((name) => ({ version: Number(name.slice(0, 6)), name, sql: readFileSync(`${dir}/${name}`, 'utf8') }));
}

/**
 * Brings the support tables up to the last migration; returns the versions this call applied. A session-level
 * advisory lock serializes replicas starting together: the ones that wait find the work done. If this process
 * dies mid-way, its connection closes, PostgreSQL releases the lock and rolls the open migration back.
 */
export async function migratePostgres(pool: Pool, migrations: PostgresMigration[] = readMigrations()): Promise<number[]> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [LOCK_NAME]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS algorhythm_support_migrations (
        version    integer PRIMARY KEY,
        name       text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const { rows } = await client.query<{ version: number }>('SELECT version FROM algorhythm_support_migrations');
      const done = new Set(rows.map((row) => row.version));
      const applied: number[] = [];
      for (const migration of migrations) {
        if (done.has(migration.version)) continue;
        try {
          await client.query('BEGIN');
          await client.query(migration.sql);
          await client.query('INSERT INTO algorhythm_support_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          throw new Error(`support migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
        }
        applied.push(migration.version);
      }
      return applied;
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [LOCK_NAME]).catch((error: Error) => {
        broken = error; // drop the connection rather than pool it with the lock held
      });
    }
  } finally {
    client.release(broken);
  }
}
