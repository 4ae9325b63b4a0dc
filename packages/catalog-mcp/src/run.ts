// The catalog server's life (the kit's `runServerProcess`): started by main.ts (from source) or from the
// startup snapshot (snapshot-entry.ts).
import { runServerProcess, serveOverStdio } from '@algorhythm/mcp-kit/process';
import { parseCatalogConfig, USAGE } from './config.ts';
import { openCatalogDb } from './db/open-catalog-db.ts';
import { CATALOG_SERVER_INFO, createCatalogServer } from './server.ts';

/** Runs the catalog server with these command-line arguments until SIGINT/SIGTERM (or stdin closes). */
export function runCatalogServer(args: string[]): Promise<void> {
  return runServerProcess({
    name: 'catalog-mcp',
    service: 'catalogMcp',
    version: CATALOG_SERVER_INFO.version,
    configure() {
      const config = parseCatalogConfig(args, process.env);
      if (config.help) {
        process.stdout.write(USAGE);
        process.exit(0);
      }
      return config;
    },
    openDb: (config) => openCatalogDb(config.dbPath),
    async serve({ config, db, instrument, log }) {
      const deps = { db, log, instrument };
      if (config.transport === 'stdio') return serveOverStdio(() => createCatalogServer(deps), log);
      // Loaded only for HTTP: the startup snapshot (stdio) holds no node:http state.
      const { startCatalogHttpServer } = await import('./http.ts');
      const running = await startCatalogHttpServer({ ...deps, host: config.host, port: config.port, allowedHosts: config.allowedHosts });
      log(`serving MCP on ${running.url.href} (db ${config.dbPath})`);
      return running.close;
    },
  });
}
