// The server's life: parse args, open the db, pick the transport, handle signals. Started by main.ts (from
// source) or from the startup snapshot (snapshot-entry.ts). On stdio, stdout carries the protocol: every log
// line goes to stderr.
import type { CatalogDb } from './db/open-catalog-db.ts';
import { parseCatalogConfig, USAGE } from './config.ts';

const log = (message: string): void => {
  process.stderr.write(`${message}\n`);
};
/** SDK transport errors can be multi-kilobyte zod dumps (e.g. a non-JSON-RPC line on stdin): one short line is enough. */
const logTransportError = (where: string) => (error: Error) => {
  const oneLine = error.message.replace(/\s+/g, ' ');
  log(`catalog-mcp ${where}: ${oneLine.length > 300 ? `${oneLine.slice(0, 297)}...` : oneLine}`);
};

/** Our own errors (tagged with `kind`) are already worded for the user: print them, not a stack. */
function fail(error: unknown, exitCode: number): never {
  log(error instanceof Error && 'kind' in error ? error.message : String(error));
  process.exit(exitCode);
}

/** Runs the catalog server with these command-line arguments until SIGINT/SIGTERM (or stdin closes). */
export async function runCatalogServer(args: string[]): Promise<void> {
  let config;
  try {
    config = parseCatalogConfig(args, process.env);
  } catch (error) {
    fail(error, 2);
  }
  if (config.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }

  // Dynamic imports: from source they are compiled after main.ts turned the compile cache on.
  const { openCatalogDb } = await import('./db/open-catalog-db.ts');
  let catalogDb: CatalogDb;
  try {
    catalogDb = openCatalogDb(config.dbPath);
  } catch (error) {
    fail(error, 1);
  }

  const telemetry = await startTelemetryIfConfigured(catalogDb);
  const toolDb = telemetry?.db ?? catalogDb;
  const instrument = telemetry?.instrument;

  let stop: () => Promise<void>;
  if (config.transport === 'http') {
    const { startCatalogHttpServer } = await import('./http.ts');
    const running = await startCatalogHttpServer({
      db: toolDb,
      log,
      ...(instrument ? { instrument } : {}),
      host: config.host,
      port: config.port,
      ...(config.allowedHosts ? { allowedHosts: config.allowedHosts } : {}),
    }).catch((error: unknown) => fail(error, 1));
    log(`catalog-mcp: serving MCP on ${running.url.href} (db ${config.dbPath})`);
    stop = running.close;
  } else {
    const [{ serveStdio }, { createCatalogServer }] = await Promise.all([
      import('@modelcontextprotocol/server/stdio'),
      import('./server.ts'),
    ]);
    const handle = serveStdio(() => createCatalogServer({ db: toolDb, log, ...(instrument ? { instrument } : {}) }), { onerror: logTransportError('stdio') });
    stop = () => handle.close();
  }

  let stopping = false;
  async function shutdown(signal: NodeJS.Signals): Promise<void> {
    if (stopping) return;
    stopping = true;
    try {
      await stop();
    } catch (error) {
      log(`catalog-mcp: error while stopping after ${signal}: ${String(error)}`);
    }
    await telemetry?.shutdown();
    catalogDb.close();
    process.exit(0);
  }
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

/**
 * OpenTelemetry, configured by the OTEL_* variables (the host passes its own on): a `traceparent` in each
 * request's _meta continues the host's trace. Loaded only when some OTEL_* variable is set, and spans and SQL
 * wrapping only when traces are exported, so a plain start (the cold-start path) never loads it.
 */
async function startTelemetryIfConfigured(catalogDb: CatalogDb) {
  if (!Object.keys(process.env).some((key) => key.startsWith('OTEL_'))) return undefined;
  const [{ DB_SYSTEM, SERVICE, traceSqlStatements }, { startTelemetry }, { toolCallSpans }, { CATALOG_SERVER_INFO }] =
    await Promise.all([
      import('@algorhythm/telemetry'),
      import('@algorhythm/telemetry/setup'),
      import('./tools/tool-call-spans.ts'),
      import('./server.ts'),
    ]);
  const started = await startTelemetry({ serviceName: SERVICE.catalogMcp, serviceVersion: CATALOG_SERVER_INFO.version, env: process.env });
  // A stdio server ends when the host closes stdin and the event loop empties: flush spans first.
  process.once('beforeExit', () => void started.shutdown());
  if (!started.exporting.traces) return { shutdown: started.shutdown };
  return {
    shutdown: started.shutdown,
    db: traceSqlStatements(catalogDb, { tracer: started.tracer, system: DB_SYSTEM.sqlite }),
    instrument: toolCallSpans(started.tracer),
  };
}
