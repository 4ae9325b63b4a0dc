import { createRequire } from 'node:module';
import type { Pool, PoolConfig } from 'pg';
import type { TraceStore, TraceStoreOptions } from '../trace-store.ts';
import { getTrace } from './get-trace.ts';
import { listTraces } from './list-traces.ts';
import { migrateTraces } from './migrate-traces.ts';
import { pruneBatch, usedBytes } from './prune-traces.ts';
import { readOverview } from './read-overview.ts';
import { startRetentionTimer } from '../retention-timer.ts';
import { untraced } from '@algorhythm/telemetry/untraced';
import { writeSpans } from './write-spans.ts';

const INT8_OID = 20;

export interface PostgresTraceStoreOptions extends TraceStoreOptions {
  /** DATABASE_URL: the spans of every replica in one place, so any replica's /admin/traces shows them all. */
  url: string;
  /** Its own small pool, apart from the host store's: a burst of spans never takes a turn's connections. */
  maxConnections?: number;
}

/**
 * The span store on PostgreSQL, for host replicas sharing one database: the SQLite store's tables and
 * semantics (../trace-store.ts), its own small pool, and every query untraced.
 */
export async function openPostgresTraceStore(options: PostgresTraceStoreOptions): Promise<TraceStore> {
  // Loaded as the host store loads it (require, after the pg instrumentation registered): one `pg` per process.
  const pg = createRequire(import.meta.url)('pg') as typeof import('pg');
  const config: PoolConfig = {
    connectionString: options.url,
    max: options.maxConnections ?? 4,
    connectionTimeoutMillis: 5_000,
    // Nanoseconds since the epoch pass 2^53: int8 is read as bigint, never as a rounded number.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? (value: string) => BigInt(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  };
  const pool: Pool = new pg.Pool(config);
  const log = options.log ?? (() => {});
  pool.on('error', (error) => log(`trace store: idle connection lost: ${error.message}`));
  try {
    await untraced(() => migrateTraces(pool));
  } catch (error) {
    await pool.end();
    throw error;
  }

  const retention = startRetentionTimer({
    pruneBatch: (now) => pruneBatch(pool, options.retention, { now }),
    everyMs: options.pruneEveryMs,
    clock: options.clock ?? Date.now,
    log,
    around: untraced,
  });
  void retention.runNow();
  let closed = false;
  return {
    write: async (spans) => (closed ? 0 : untraced(() => writeSpans(pool, spans))),
    list: (filter) => untraced(() => listTraces(pool, filter)),
    get: (traceId) => untraced(() => getTrace(pool, traceId)),
    overview: (range) => untraced(() => readOverview(pool, range)),
    usedBytes: () => untraced(() => usedBytes(pool)),
    prune: () => retention.runNow(),
    async close() {
      if (closed) return;
      closed = true;
      await retention.stop();
      await pool.end();
    },
  };
}
