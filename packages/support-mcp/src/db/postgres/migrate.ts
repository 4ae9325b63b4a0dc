import { fileURLToPath } from 'node:url';
import { migrate, readMigrations as readSet, type Migration } from '@algorhythm/mcp-kit/postgres/migrate';
import type { Pool } from 'pg';

/** The support server's own tables (refund ledger, email-change audit, secrets) beside the Chinook ones. */
const SUPPORT = {
  dir: fileURLToPath(new URL('./migrations/', import.meta.url)),
  table: 'algorhythm_support_migrations',
  lock: 'algorhythm.support-mcp.migrations',
  label: 'support migration',
};

export const readMigrations = (): Migration[] => readSet(SUPPORT.dir);

/** Brings the support tables up to the last migration; returns the versions this call applied. */
export function migratePostgres(pool: Pool, migrations: Migration[] = readMigrations()): Promise<number[]> {
  return migrate(pool, SUPPORT, migrations);
}
