import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceStorage } from '@algorhythm/support-mcp/in-process';
import type { Config } from '../config.ts';
import { supportStateKey } from '../secrets.ts';

/** What a host-started shared support service child is given to find its data: arguments and environment. */
export interface SupportStorage {
  args: string[];
  env: Record<string, string>;
}

/**
 * Where the support service the host runs (in-process or as a child) keeps Chinook and its ledgers (refunds, email changes):
 * - no DATABASE_URL: the host's SQLite working copy (`--db`), as always;
 * - DATABASE_URL: the same PostgreSQL database as the host's own state, so every replica's service writes ONE ledger.
 *   Chinook's quoted, capitalised tables ("Customer", "Invoice"…) and the `algorhythm_*` support tables clash with no
 *   table of the host (conversation, message, approval, event, span, trace, rate_limit, *_migrations). The URL goes
 *   in the child's environment, not its command line (a password in it would show in `ps`). REQUEST_STATE_KEY: the
 *   operator's when set (forwarded like the OTEL_* variables), else derived from SESSION_SECRET, which every replica
 *   shares, so an approval sealed by one replica's service is opened by another's.
 */
export function supportServiceStorage(config: Config): ServiceStorage {
  const given = config.childEnv['REQUEST_STATE_KEY'];
  if (!config.postgres) return { databaseUrl: undefined, requestStateKey: given, dbPath: config.chinookPath };
  if (!config.sessionSecret) throw new Error('SESSION_SECRET must be set when DATABASE_URL is set.');
  return { databaseUrl: config.postgres.url, requestStateKey: given ?? supportStateKey(config.sessionSecret), dbPath: config.chinookPath };
}

/** The same storage for a support service started as a child process. */
export function supportStorage(config: Config): SupportStorage {
  const storage = supportServiceStorage(config);
  return storage.databaseUrl === undefined
    ? { args: ['--db', storage.dbPath], env: {} }
    : { args: [], env: { DATABASE_URL: storage.databaseUrl, REQUEST_STATE_KEY: storage.requestStateKey } };
}

/** The Chinook file the PostgreSQL load copies: the verified pristine file `pnpm db:setup` keeps, else the working copy. */
export function chinookSource(config: Config): string {
  const pristine = join(config.dataDir, 'chinook.pristine.sqlite');
  return existsSync(pristine) ? pristine : config.chinookPath;
}

/**
 * Before the host starts its shared support service on PostgreSQL: Chinook loaded into the database (counts and
 * checksums verified) and the support tables migrated (support-mcp's `setupPostgres`, as `pnpm db:setup` does).
 * Idempotent and safe when replicas start together: the load runs under a transaction-level advisory lock (the
 * ones that wait find it recorded: "already loaded"), the migrations under a session-level one. Returns the line
 * to log; undefined when there is nothing to do (SQLite, an external service, or a stdio child per customer).
 */
export async function prepareSupportStorage(config: Config): Promise<string | undefined> {
  if (!config.postgres || config.support.url || config.support.mode === 'stdio-per-customer') return undefined;
  const { setupPostgres } = await import('@algorhythm/support-mcp/setup-postgres');
  return setupPostgres({ from: chinookSource(config), databaseUrl: config.postgres.url });
}
