// Entry point: parse args, open the db, pick the transport, handle signals. Nothing else lives here.
// On stdio, stdout carries the protocol: every log line goes to stderr.
import { ConfigError, parseCatalogConfig, USAGE } from './config.ts';
import { CatalogDbNotFoundError, openCatalogDb } from './db/open-catalog-db.ts';
import { createCatalogServer } from './server.ts';

const log = (message: string): void => {
  process.stderr.write(`${message}\n`);
};
/** SDK transport errors can be multi-kilobyte zod dumps (e.g. a non-JSON-RPC line on stdin): one short line is enough. */
const logTransportError = (where: string) => (error: Error) => {
  const oneLine = error.message.replace(/\s+/g, ' ');
  log(`catalog-mcp ${where}: ${oneLine.length > 300 ? `${oneLine.slice(0, 297)}...` : oneLine}`);
};

function fail(error: unknown, exitCode: number): never {
  log(error instanceof ConfigError || error instanceof CatalogDbNotFoundError ? error.message : String(error));
  process.exit(exitCode);
}

let config;
try {
  config = parseCatalogConfig(process.argv.slice(2), process.env);
} catch (error) {
  fail(error, 2);
}
if (config.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

let db;
try {
  db = openCatalogDb(config.dbPath);
} catch (error) {
  fail(error, 1);
}
const catalogDb = db;

let stop: () => Promise<void>;
if (config.transport === 'http') {
  const { startCatalogHttpServer } = await import('./http.ts');
  const running = await startCatalogHttpServer({
    db: catalogDb,
    log,
    host: config.host,
    port: config.port,
    ...(config.allowedHosts ? { allowedHosts: config.allowedHosts } : {}),
  }).catch((error: unknown) => fail(error, 1));
  log(`catalog-mcp: serving MCP on ${running.url.href} (db ${config.dbPath})`);
  stop = running.close;
} else {
  const { serveStdio } = await import('@modelcontextprotocol/server/stdio');
  const handle = serveStdio(() => createCatalogServer({ db: catalogDb, log }), {
    onerror: logTransportError('stdio'),
  });
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
  catalogDb.close();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
