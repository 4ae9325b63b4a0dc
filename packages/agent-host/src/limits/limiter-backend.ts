import { fileURLToPath } from 'node:url';
import { migrate } from '@algorhythm/mcp-kit/postgres/migrate';
import { createRequire } from 'node:module';
import { RateLimiterMemory, RateLimiterPostgres, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config.ts';

export interface LimiterSpec {
  /** Also the key prefix: rows of different limits share one table. */
  name: string;
  points: number;
  durationSeconds: number;
}

/** Where the counters live: makes a limiter per spec, all on the same backend. */
export interface LimiterBackend {
  kind: 'memory' | 'postgres';
  limiter(spec: LimiterSpec): RateLimiterAbstract;
  close(): Promise<void>;
}

/** Counters of every limit, one row per key; rows are disposable (at worst a window starts over). */
const TABLE = 'rate_limit';
const POOL_MAX = 4;
/** Rows whose window ended an hour ago are deleted this often (the library's timing). */
const SWEEP_MS = 5 * 60_000;

/**
 * In memory on SQLite: that host is one process, so its memory is the whole truth. On PostgreSQL the
 * counters are rows every replica updates with one atomic upsert, so a limit holds across replicas.
 * Call after `openHostStore`, which registered the pg instrumentation (so these queries get `db.*` spans
 * like the store's, named `INSERT rate_limit` / `SELECT rate_limit`, and only under a request's span).
 */
export async function openLimiterBackend(config: Config, { log }: { log: (line: string) => void }): Promise<LimiterBackend> {
  if (!config.postgres) {
    return {
      kind: 'memory',
      limiter: ({ name, points, durationSeconds }) => new RateLimiterMemory({ keyPrefix: name, points, duration: durationSeconds }),
      close: async () => {},
    };
  }
  const pg = createRequire(import.meta.url)('pg') as typeof import('pg');
  const pool = new pg.Pool({ connectionString: config.postgres.url, max: POOL_MAX, connectionTimeoutMillis: 5_000 });
  pool.on('error', (error) => log(`limits: idle connection lost: ${error.message}`));
  try {
    // Under the shared runner's advisory lock: replicas starting together create the table once.
    await migrate(pool, {
      dir: fileURLToPath(new URL('./migrations/', import.meta.url)),
      table: 'limit_migrations',
      lock: 'algorhythm.agent-host.limit-migrations',
      label: 'limits migration',
    });
  } catch (error) {
    await pool.end();
    throw error;
  }
  // One sweep per host, stopped at close (the library would start one per limiter, never stopped).
  const sweep = setInterval(() => {
    pool.query(`DELETE FROM ${TABLE} WHERE expire < $1`, [Date.now() - 3_600_000]).catch((error: Error) => log(`limits: sweep failed: ${error.message}`));
  }, SWEEP_MS);
  sweep.unref();
  return {
    kind: 'postgres',
    limiter: ({ name, points, durationSeconds }) =>
      new RateLimiterPostgres({
        storeClient: pool,
        storeType: 'pool',
        tableName: TABLE,
        // Created above, at start-up: the library would otherwise create it lazily and refuse requests until then.
        tableCreated: true,
        clearExpiredByTimeout: false,
        keyPrefix: name,
        points,
        duration: durationSeconds,
      }),
    async close() {
      clearInterval(sweep);
      await pool.end();
    },
  };
}
