import { fileURLToPath } from 'node:url';
import { migrate as migrateSet, readMigrations as readSet, type Migration } from '@algorhythm/mcp-kit/postgres/migrate';
import type { Pool } from 'pg';

/** The host's own sequence (conversations, approvals, events), beside the span store's. */
const HOST = {
  dir: fileURLToPath(new URL('./migrations/', import.meta.url)),
  table: 'host_migrations',
  lock: 'algorhythm.agent-host.migrations',
  label: 'migration',
};

export const readMigrations = (): Migration[] => readSet(HOST.dir);

/** Brings the host's tables up to the last migration; returns the versions this call applied. */
export function migrate(pool: Pool, migrations: Migration[] = readMigrations()): Promise<number[]> {
  return migrateSet(pool, HOST, migrations);
}
