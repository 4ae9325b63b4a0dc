import { readdirSync, readFileSync } from 'node:fs';
import type { Pool } from 'pg';

/** A numbered SQL file, `000001.sql`…: applied once, in order, each in its own transaction. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** One sequence of migrations: its folder, the table recording what was applied, the advisory lock's name. */
export interface MigrationSet {
  dir: string;
  /** A constant identifier from code (never input): it is written into the SQL. */
  table: string;
  lock: string;
  /** Said in a failure's message: "support migration 000002.sql failed: …". */
  label: string;
}

export function readMigrations(dir: string): Migration[] {
  return readdirSync(dir)
    .filter((name) => /^\d{6}\.sql$/.test(name))
    .sort()
    .map((name) => ({ version: Number(name.slice(0, 6)), name, sql: readFileSync(`${dir}/${name}`, 'utf8') }));
}

/**
 * Brings one sequence up to its last migration; returns the versions this call applied. A session-level advisory
 * lock serializes replicas starting together: the ones that wait find the work done. If this process dies
 * mid-way, its connection closes, PostgreSQL releases the lock and rolls the open migration back.
 */
export async function migrate(pool: Pool, set: MigrationSet, migrations: Migration[] = readMigrations(set.dir)): Promise<number[]> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [set.lock]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS ${set.table} (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${set.table}`);
      const done = new Set(rows.map((row) => row.version));
      const applied: number[] = [];
      for (const migration of migrations) {
        if (done.has(migration.version)) continue;
        try {
          await client.query('BEGIN');
          await client.query(migration.sql);
          await client.query(`INSERT INTO ${set.table} (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          throw new Error(`${set.label} ${migration.name} failed: ${(error as Error).message}`, { cause: error });
        }
        applied.push(migration.version);
      }
      return applied;
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [set.lock]).catch((error: Error) => {
        broken = error; // drop the connection rather than pool it with the lock held
      });
    }
  } finally {
    client.release(broken);
  }
}
