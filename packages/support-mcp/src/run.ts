// The support server's life (the kit's `runServerProcess`): started by main.ts (from source) or from the
// startup snapshot (snapshot-entry.ts).
import { runServerProcess, serveOverStdio } from '@algorhythm/mcp-kit/process';
import { parseConfig, type SupportConfig } from './config.ts';
import { customerFromAuthInfo, fixedCustomer } from './customers/customer-binding.ts';
import { openSupportDb } from './db/open-db.ts';
import { PostgresDb, preparePostgresDb } from './db/postgres/postgres-db.ts';
import { getOrCreateSecret } from './db/secret-store.ts';
import { createSupportDeps, createSupportServer, SERVER_INFO } from './server.ts';
import type { SupportDatabase } from './store/open-store.ts';

/** PostgreSQL when a database URL is configured (shared by replicas), else the working SQLite copy. */
const openDatabase = (config: SupportConfig): SupportDatabase =>
  config.databaseUrl === undefined ? openSupportDb(config.dbPath) : new PostgresDb(config.databaseUrl);

/**
 * Checks the database is ready to serve; says which key seals approval states (PostgreSQL: the shared one from the
 * environment, parseConfig insists) and how to name the database in log lines.
 */
async function prepare(config: SupportConfig, db: SupportDatabase): Promise<{ requestStateKey: string; name: string; where: string }> {
  if (db instanceof PostgresDb) {
    if (config.databaseUrl === undefined) throw new Error('a PostgreSQL handle without a database URL');
    await preparePostgresDb(db);
    const name = `postgres ${new URL(config.databaseUrl).host}`;
    return { requestStateKey: config.requestStateKey, name, where: name };
  }
  return { requestStateKey: config.requestStateKey ?? getOrCreateSecret(db, 'request_state_key'), name: config.dbPath, where: `db ${config.dbPath}` };
}

/** Runs the support server with these command-line arguments until SIGINT/SIGTERM (or stdin closes). */
export function runSupportServer(args: string[]): Promise<void> {
  return runServerProcess({
    name: 'algorhythm-support-mcp',
    service: 'supportMcp',
    version: SERVER_INFO.version,
    configure: () => parseConfig(args, process.env),
    openDb: openDatabase,
    async serve({ config, db, instrument, log }) {
      const { requestStateKey, name, where } = await prepare(config, db);
      const common = { db, requestStateKey, approvalTtlSeconds: config.approvalTtlSeconds, log, instrument };
      if (config.transport.kind === 'stdio') {
        const { customerId } = config.transport;
        const deps = createSupportDeps({ ...common, resolveCustomer: fixedCustomer(customerId) });
        if (!(await deps.store.findCustomer(customerId))) throw new Error(`customer ${customerId} does not exist in ${name}`);
        const stop = serveOverStdio(() => createSupportServer(deps), log);
        log(`serving customer ${customerId} on stdio (${where})`);
        return stop;
      }
      // Loaded only for HTTP: the startup snapshot (stdio) holds no node:http state.
      const { startSupportHttpServer } = await import('./transports/http-handler.ts');
      const { host, port, tokenSecret, untilStdinCloses } = config.transport;
      const deps = createSupportDeps({ ...common, resolveCustomer: customerFromAuthInfo });
      const running = await startSupportHttpServer({ deps, tokenSecret, host, port });
      // The host reads this line for the port it asked the OS to choose (--port 0).
      log(`listening on ${running.url.href} (${where})`);
      if (untilStdinCloses) {
        // The host holds the other end of stdin: when it goes (even killed), shut down the way SIGTERM does.
        const stop = () => process.kill(process.pid, 'SIGTERM');
        process.stdin.once('end', stop).once('close', stop).once('error', stop);
        process.stdin.resume();
      }
      return running.close;
    },
  });
}
