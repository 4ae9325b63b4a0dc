// The server's life: parse configuration, open the database, pick the transport, handle signals. Started
// by main.ts (from source) or from the startup snapshot (snapshot-entry.ts). Logs go to stderr only: over
// stdio, stdout is the protocol channel.
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { ConfigError, parseConfig } from './config.ts';
import { customerFromAuthInfo, fixedCustomer } from './customers/customer-binding.ts';
import { findCustomer } from './customers/customer-lookup.ts';
import { openSupportDb, type SupportDb } from './db/open-db.ts';
import { getOrCreateSecret } from './db/secret-store.ts';
import { createSupportDeps, createSupportServer, SERVER_INFO } from './server.ts';

const NAME = 'algorhythm-support-mcp';
const log = (line: string) => process.stderr.write(`${line}\n`);

function fail(message: string, code = 1): never {
  log(`${NAME}: ${message}`);
  process.exit(code);
}

/** Runs the support server with these command-line arguments until SIGINT/SIGTERM (or stdin closes). */
export async function runSupportServer(args: string[]): Promise<void> {
  let config;
  try {
    config = parseConfig(args, process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, 2);
    throw error;
  }

  let db: SupportDb;
  try {
    db = openSupportDb(config.dbPath);
  } catch (error) {
    fail(`cannot open database: ${(error as Error).message}`);
  }
  const requestStateKey = config.requestStateKey ?? getOrCreateSecret(db, 'request_state_key');

  const telemetry = await startTelemetryIfConfigured(db);
  const common = {
    db: telemetry?.db ?? db,
    requestStateKey,
    approvalTtlSeconds: config.approvalTtlSeconds,
    log,
    ...(telemetry?.instrument ? { instrument: telemetry.instrument } : {}),
  };

  let stop: () => Promise<void>;
  if (config.transport.kind === 'stdio') {
    const { customerId } = config.transport;
    if (!findCustomer(db, customerId)) fail(`customer ${customerId} does not exist in ${config.dbPath}`);
    const deps = createSupportDeps({ ...common, resolveCustomer: fixedCustomer(customerId) });
    const handle = serveStdio(() => createSupportServer(deps), {
      onerror: (error) => log(`${NAME}: ${error.message}`),
    });
    log(`${NAME}: serving customer ${customerId} on stdio (db ${config.dbPath})`);
    stop = () => handle.close();
  } else {
    // Loaded here, not at the top: the startup snapshot (stdio only) cannot hold node:http's state.
    const [{ createSupportHttpHandler }, { listenHttp }] = await Promise.all([
      import('./transports/http-handler.ts'),
      import('./transports/node-http.ts'),
    ]);
    const { host, port, tokenSecret } = config.transport;
    const deps = createSupportDeps({ ...common, resolveCustomer: customerFromAuthInfo });
    const allowedHostnames = ['localhost', '127.0.0.1', '[::1]', host.includes(':') ? `[${host}]` : host];
    const handler = createSupportHttpHandler({ deps, tokenSecret, allowedHostnames });
    let listening;
    try {
      listening = await listenHttp(handler.fetch, { host, port, log });
    } catch (error) {
      fail(`cannot listen on ${host}:${port}: ${(error as Error).message}`);
    }
    log(`${NAME}: listening on ${listening.url} (db ${config.dbPath})`);
    stop = async () => {
      await handler.close();
      await listening.close();
    };
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${NAME}: ${signal}, shutting down`);
    void stop()
      .catch((error: Error) => log(`${NAME}: shutdown: ${error.message}`))
      .then(() => telemetry?.shutdown())
      .finally(() => {
        db.close();
        process.exit(0);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

/**
 * OpenTelemetry, configured by the OTEL_* variables (the host passes its own on): a `traceparent` in each
 * request's _meta continues the host's trace. Loaded only when some OTEL_* variable is set, and the spans and
 * SQL wrapping only when traces are exported, so a plain start (one per customer over stdio) never loads it.
 */
async function startTelemetryIfConfigured(db: SupportDb) {
  if (!Object.keys(process.env).some((key) => key.startsWith('OTEL_'))) return undefined;
  const [{ DB_SYSTEM, SERVICE, traceSqlStatements }, { startTelemetry }, { toolCallSpans }] = await Promise.all([
    import('@algorhythm/telemetry'),
    import('@algorhythm/telemetry/setup'),
    import('./tools/tool-call-spans.ts'),
  ]);
  const telemetry = await startTelemetry({ serviceName: SERVICE.supportMcp, serviceVersion: SERVER_INFO.version, env: process.env });
  // A stdio server ends when the host closes stdin and the event loop empties: flush spans first.
  process.once('beforeExit', () => void telemetry.shutdown());
  if (!telemetry.exporting.traces) return { shutdown: telemetry.shutdown };
  return {
    shutdown: telemetry.shutdown,
    db: traceSqlStatements(db, { tracer: telemetry.tracer, system: DB_SYSTEM.sqlite }),
    instrument: toolCallSpans(telemetry.tracer),
  };
}

