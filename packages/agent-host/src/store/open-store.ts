import type { Config } from '../config.ts';
import { instrumentPostgres } from '../telemetry/pg-instrumentation.ts';
import { openSqliteStore } from './sqlite-store.ts';
import type { Store } from './types.ts';

/**
 * The host's store as configured: PostgreSQL when DATABASE_URL is set (loaded only then), else SQLite in the
 * data folder. `traced`: put `db.*` spans on PostgreSQL queries (registered before `pg` loads).
 */
export async function openHostStore(config: Config, options: { traced: boolean; log: (line: string) => void }): Promise<Store> {
  if (!config.postgres) return openSqliteStore(config.hostDbPath);
  if (options.traced) await instrumentPostgres();
  const { openPostgresStore } = await import('./postgres-store.ts');
  return openPostgresStore({
    url: config.postgres.url,
    maxConnections: config.postgres.poolMax,
    onError: (error) => options.log(`database: idle connection lost: ${error.message}`),
  });
}
