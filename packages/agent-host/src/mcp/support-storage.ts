import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { supportStateKey } from '../secrets.ts';

/** What the host-started shared support service is given to find its data: arguments and environment. */
export interface SupportStorage {
  args: string[];
  env: Record<string, string>;
}

/**
 * Where the support service the host starts keeps Chinook and its ledgers (refunds, email changes):
 * - no DATABASE_URL: the host's SQLite working copy (`--db`), as always;
 * - DATABASE_URL: the same PostgreSQL database as the host's own state, so every replica's service writes ONE ledger.
 *   Chinook's quoted, capitalised tables ("Customer", "Invoice"…) and the `algorhythm_*` support tables clash with no
 *   table of the host (conversation, message, approval, event, span, trace, rate_limit, *_migrations). The URL goes
 *   in the child's environment, not its command line (a password in it would show in `ps`). REQUEST_STATE_KEY: the
 *   operator's when set (forwarded like the OTEL_* variables), else derived from SESSION_SECRET, which every replica
 *   shares, so an approval sealed by one replica's service is opened by another's.
 */
export function supportStorage(config: Config): SupportStorage {
  if (!config.postgres) return { args: ['--db', config.chinookPath], env: {} };
  if (!config.sessionSecret) throw new Error('SESSION_SECRET must be set when DATABASE_URL is set.');
  return {
    args: [],
    env: {
      DATABASE_URL: config.postgres.url,
      REQUEST_STATE_KEY: config.childEnv['REQUEST_STATE_KEY'] ?? supportStateKey(config.sessionSecret),
    },
  };
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
  if (!config.postgres || config.support.url || config.support.mode !== 'shared') return undefined;
  const { setupPostgres } = await import('@algorhythm/support-mcp/setup-postgres');
  return setupPostgres({ from: chinookSource(config), databaseUrl: config.postgres.url });
}
