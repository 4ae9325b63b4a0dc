import { fileURLToPath } from 'node:url';
import { migrate } from '@algorhythm/mcp-kit/postgres/migrate';
import type { Pool } from 'pg';

/**
 * The span store's numbered SQL files, recorded in `trace_migrations` under their own lock: a sequence beside
 * the host's (`host_migrations`), since the span store opens and evolves apart from the conversations, as its
 * SQLite file does.
 */
export async function migrateTraces(pool: Pool): Promise<void> {
  await migrate(pool, {
    dir: fileURLToPath(new URL('./migrations/', import.meta.url)),
    table: 'trace_migrations',
    lock: 'algorhythm.agent-host.trace-migrations',
    label: 'trace store migration',
  });
}
