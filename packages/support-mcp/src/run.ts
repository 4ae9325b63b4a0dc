// The support server's life (the kit's `runServerProcess`): started by main.ts (from source) or from the
// startup snapshot (snapshot-entry.ts).
import { runServerProcess, serveOverStdio } from '@algorhythm/mcp-kit/process';
import { parseConfig, type SupportConfig } from './config.ts';
import { customerFromAuthInfo, fixedCustomer } from './customers/customer-binding.ts';
import { openServiceDb, prepareServiceDb } from './db/open-service-db.ts';
import { createSupportDeps, createSupportServer, SERVER_INFO } from './server.ts';

/** Runs the support server with these command-line arguments until SIGINT/SIGTERM (or stdin closes). */
export function runSupportServer(args: string[]): Promise<void> {
  return runServerProcess({
    name: 'algorhythm-support-mcp',
    service: 'supportMcp',
    version: SERVER_INFO.version,
    configure: () => parseConfig(args, process.env),
    openDb: openServiceDb,
    async serve({ config, db, instrument, log }) {
      const { requestStateKey, name, where } = await prepareServiceDb(config, db);
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
