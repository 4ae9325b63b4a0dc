import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Config } from './config.ts';
import { openCustomerDirectory } from './customers/directory.ts';
import type { ChatEvent } from './events/chat-events.ts';
import { createHub } from './events/hub.ts';
import { createApp } from './http/app.ts';
import { createMcpConnection, type McpConnection } from './mcp/mcp-connection.ts';
import { createSupportPool } from './mcp/support-pool.ts';
import { toolSourceOf } from './mcp/tool-source.ts';
import { httpTransport, serverStart, stdioTransport } from './mcp/transports.ts';
import { createModel, describeSelection, ROLES } from './model/index.ts';
import type { ChatModel } from './model/types.ts';
import { ensureSecrets, purposeKey } from './secrets.ts';
import { openSqliteStore } from './store/sqlite-store.ts';
import type { ApprovalRecord } from './store/types.ts';
import { noTracing, type AgentTracing } from './telemetry/agent-tracing.ts';
import { instrumentHost, type HostTelemetry } from './telemetry/host-telemetry.ts';
import { createKeyedLock } from './turns/keyed-lock.ts';
import type { Role } from './turns/deps.ts';
import { createTurnRunner } from './turns/turn-runner.ts';
import { mintCustomerToken } from '@algorhythm/support-mcp';

export interface HostOptions {
  log?: (line: string) => void;
  /** Test seam: replace the configured models (e.g. scripted ones). */
  models?: Partial<Record<Role, ChatModel>>;
  /** Overrides the tracing built from `telemetry`. */
  tracing?: AgentTracing;
  /** Tracer and meter from `startTelemetry`; absent → no instrumentation at all. */
  telemetry?: HostTelemetry;
  webRoot?: string;
  clock?: () => Date;
}

export interface RunningHost {
  url: string;
  adminToken: string;
  generatedAdminToken: boolean;
  close(): Promise<void>;
}

/** The composition root: builds every piece from the config, wires them, and starts the HTTP server. */
export async function startHost(config: Config, options: HostOptions = {}): Promise<RunningHost> {
  const log = options.log ?? ((line: string) => console.error(line));
  mkdirSync(config.dataDir, { recursive: true });
  if (!existsSync(config.chinookPath)) {
    throw new Error(`No Chinook database at ${config.chinookPath}: run \`pnpm db:setup\` first.`);
  }
  const secrets = ensureSecrets(config.secretsPath, { sessionSecret: config.sessionSecret, adminToken: config.adminToken });
  const rawStore = openSqliteStore(config.hostDbPath);
  const directory = openCustomerDirectory(config.chinookPath);
  const instrument = options.telemetry ? instrumentHost(options.telemetry) : undefined;
  const traced = (connection: McpConnection, server: 'catalog' | 'support') =>
    instrument ? instrument.connection(connection, server) : connection;

  const { url: supportUrl, tokenSecret } = config.support;
  /** The `node` arguments of a stdio server, decided once; saying so when it cannot start from its snapshot. */
  const nodeArgsOf = (server: 'catalog' | 'support') => {
    const start = serverStart(server);
    if (start.from === 'source') log(`${server}-mcp: starting from source: startup snapshot ${start.why}`);
    return start.nodeArgs;
  };
  const catalogNodeArgs = config.catalog.url ? [] : nodeArgsOf('catalog');
  const supportNodeArgs = supportUrl && tokenSecret ? [] : nodeArgsOf('support');
  const catalogConnection = createMcpConnection({
    label: 'catalog',
    requestTimeoutMs: config.mcpTimeoutMs,
    transport: config.catalog.url ? 'tcp' : 'pipe',
    ...instrument?.connectionOptions,
    createTransport: () =>
      config.catalog.url
        ? httpTransport(config.catalog.url)
        : stdioTransport(catalogNodeArgs, ['--db', config.chinookPath], config.childEnv),
  });
  const tracedCatalog = traced(catalogConnection, 'catalog');
  const support = createSupportPool({
    idleMs: config.support.idleMs,
    maxSize: config.support.poolMax,
    connect: (customerId) =>
      traced(
        createMcpConnection({
          label: 'support',
          requestTimeoutMs: config.mcpTimeoutMs,
          transport: supportUrl && tokenSecret ? 'tcp' : 'pipe',
          ...instrument?.connectionOptions,
          createTransport: () =>
            supportUrl && tokenSecret
              ? httpTransport(supportUrl, () => mintCustomerToken({ customerId, secret: tokenSecret, ttlSeconds: 300 }))
              : stdioTransport(
                  supportNodeArgs,
                  ['--customer-id', String(customerId), '--db', config.chinookPath],
                  config.childEnv,
                ),
        }),
        'support',
      ),
  });

  const built = Object.fromEntries(ROLES.map((role) => [role, createModel(config.models[role])])) as Record<Role, ChatModel>;
  const chosen: Record<Role, ChatModel> = { ...built, ...options.models };
  const models = instrument
    ? (Object.fromEntries(ROLES.map((role) => [role, instrument.model(chosen[role])])) as Record<Role, ChatModel>)
    : chosen;
  const tracing = options.tracing ?? instrument?.tracing(chosen) ?? noTracing;
  const store = instrument ? instrument.store(rawStore, tracing) : rawStore;
  for (const line of describeSelection(config.models)) log(line);
  const offline = Object.values(models).every((model) => model.provider === 'offline');
  const conversationEvents = createHub<ChatEvent>();
  const approvalEvents = createHub<ApprovalRecord>();
  const deps = {
    store,
    models,
    catalog: toolSourceOf('catalog', tracedCatalog),
    catalogConnection: tracedCatalog,
    support,
    directory,
    conversationEvents,
    approvalEvents,
    tracing,
    clock: options.clock ?? (() => new Date()),
    newId: randomUUID,
    maxSteps: config.maxSteps,
    approvalTtlMs: config.approvalTtlMs,
    withLock: createKeyedLock(),
    log,
  };
  const turns = createTurnRunner(deps);
  const shutdown = new AbortController();

  const app = createApp({
    store,
    turns,
    directory,
    conversationEvents,
    approvalEvents,
    session: { secret: purposeKey(secrets.sessionSecret, 'customer-session'), secure: config.secureCookies },
    admin: { token: secrets.adminToken, secret: purposeKey(secrets.sessionSecret, 'admin-session'), secure: config.secureCookies },
    model: {
      offline,
      label: [...new Set(Object.values(models).map((m) => m.displayName ?? m.modelId))].join(', '),
    },
    // Spawning a customer's support server costs a few hundred ms (mostly the MCP SDK loading): pay it at sign-in.
    warmCustomer: (customerId) => void support.connectionFor(customerId).listTools().catch(() => {}),
    readiness: async () => {
      const check = (probe: Promise<unknown>) =>
        probe.then(
          () => 'ok',
          (error: unknown) => (error instanceof Error ? error.message : String(error)),
        );
      const [database, catalog, supportCheck] = await Promise.all([
        check(store.ping()),
        check(catalogConnection.ping()),
        check(support.connectionFor(directory.list()[0]?.id ?? 1).ping()),
      ]);
      return { database, catalog, support: supportCheck };
    },
    shutdown: shutdown.signal,
    ...(options.webRoot ? { webRoot: options.webRoot } : {}),
    log,
    ...(instrument ? { middleware: [instrument.httpMiddleware] } : {}),
  });

  const server: ServerType = await new Promise((resolve) => {
    const started = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(started));
  });
  const address = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${address.port}`;

  const recovered = await turns.recover();
  if (recovered > 0) log(`resuming ${recovered} decided approval(s) left unfinished by the last run`);
  const sweeper = setInterval(() => void turns.sweepExpired().catch((e: unknown) => log(`expiry sweep failed: ${String(e)}`)), config.approvalSweepMs);
  const reaper = setInterval(() => void support.reap(), Math.min(config.support.idleMs, 60_000));
  sweeper.unref();
  reaper.unref();
  void turns.sweepExpired();

  let closing: Promise<void> | undefined;
  return {
    url,
    adminToken: secrets.adminToken,
    generatedAdminToken: secrets.generatedAdminToken,
    close() {
      closing ??= (async () => {
        clearInterval(sweeper);
        clearInterval(reaper);
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        shutdown.abort();
        if ('closeIdleConnections' in server) server.closeIdleConnections();
        await turns.drain();
        await stopped;
        await Promise.all([catalogConnection.close(), support.close()]);
        directory.close();
        store.close();
      })();
      return closing;
    },
  };
}
