import type { Config } from '../config.ts';
import { openTraceStore, type TraceStore } from './trace-store.ts';

/**
 * The span store as configured: on PostgreSQL when DATABASE_URL is set (the same database as the host's
 * state, so every replica lists every replica's spans; loaded only then), else the SQLite file in the data folder.
 */
export async function openHostTraceStore(config: Config, options: { log: (line: string) => void }): Promise<TraceStore> {
  const { retention, pruneEveryMs } = config.traces;
  if (!config.postgres) return openTraceStore(config.traces.dbPath, { retention, pruneEveryMs, log: options.log });
  const { openPostgresTraceStore } = await import('./postgres/postgres-trace-store.ts');
  return openPostgresTraceStore({ url: config.postgres.url, retention, pruneEveryMs, log: options.log });
}
