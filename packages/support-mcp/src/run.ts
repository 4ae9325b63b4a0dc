// The support server's life (the kit's `runServerProcess`): started by main.ts (from source) or from the
// startup snapshot (snapshot-entry.ts).
import { runServerProcess, serveOverStdio } from '@algorhythm/mcp-kit/process';
import { parseConfig } from './config.ts';
import { customerFromAuthInfo, fixedCustomer } from './customers/customer-binding.ts';
import { findCustomer } from './customers/customer-lookup.ts';
import { openSupportDb } from './db/open-db.ts';
import { getOrCreateSecret } from './db/secret-store.ts';
import { createSupportDeps, createSupportServer, SERVER_INFO } from './server.ts';

/** Runs the support server with these command-line arguments until SIGINT/SIGTERM (or stdin closes). */
export function runSupportServer(args: string[]): Promise<void> {
  return runServerProcess({
    name: 'algorhythm-support-mcp',
    service: 'supportMcp',
    version: SERVER_INFO.version,
    configure: () => parseConfig(args, process.env),
    openDb: (config) => openSupportDb(config.dbPath),
    async serve({ config, db, instrument, log }) {
      const common = {
        db,
        requestStateKey: config.requestStateKey ?? getOrCreateSecret(db, 'request_state_key'),
        approvalTtlSeconds: config.approvalTtlSeconds,
        log,
        instrument,
      };
      if (config.transport.kind === 'stdio') {
        const { customerId } = config.transport;
        if (!findCustomer(db, customerId)) throw new Error(`customer ${customerId} does not exist in ${config.dbPath}`);
        const deps = createSupportDeps({ ...common, resolveCustomer: fixedCustomer(customerId) });
        const stop = serveOverStdio(() => createSupportServer(deps), log);
        log(`serving customer ${customerId} on stdio (db ${config.dbPath})`);
        return stop;
      }
      // Loaded only for HTTP: the startup snapshot (stdio) holds no node:http state.
      const { startSupportHttpServer } = await import('./transports/http-handler.ts');
      const { host, port, tokenSecret, untilStdinCloses } = config.transport;
      const deps = createSupportDeps({ ...common, resolveCustomer: customerFromAuthInfo });
      const running = await startSupportHttpServer({ deps, tokenSecret, host, port });
      // The host reads this line for the port it asked the OS to choose (--port 0).
      log(`listening on ${running.url.href} (db ${config.dbPath})`);
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
