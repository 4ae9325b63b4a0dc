import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createNoopMeter } from '@opentelemetry/api';
import type { Config } from './config.ts';
import { createSignInMethods } from './auth/sign-in-methods.ts';
import { openCustomerDirectory } from './customers/directory.ts';
import { createApp } from './http/app.ts';
import { openLimiterBackend } from './limits/limiter-backend.ts';
import { createLimits } from './limits/limits.ts';
import { createMcpConnection, type McpConnection } from './mcp/mcp-connection.ts';
import { prepareSupportStorage } from './mcp/support-storage.ts';
import { createSupportTopology } from './mcp/support-topology.ts';
import { inProcessService, IN_PROCESS_URL } from './mcp/in-process-service.ts';
import { toolSourceOf } from './mcp/tool-source.ts';
import { httpTransport, serverStart, stdioTransport } from './mcp/transports.ts';
import { createModel, describeSelection, ROLES } from './model/index.ts';
import type { ChatModel } from './model/types.ts';
import { ensureSecrets, purposeKey, sharedSecrets } from './secrets.ts';
import { openCoordination } from './store/open-coordination.ts';
import { openHostStore } from './store/open-store.ts';
import { noTracing, type AgentTracing } from './telemetry/agent-tracing.ts';
import { instrumentHost, type HostTelemetry } from './telemetry/host-telemetry.ts';
import type { Role } from './turns/deps.ts';
import { createTurnRunner } from './turns/turn-runner.ts';
import { childTraceEnv, mintIngestToken } from './traces/ingest.ts';
import { createOtlpRelay } from './traces/relay.ts';
import type { SpanSink } from './traces/span-sink.ts';
import { openHostTraceStore } from './traces/open-trace-store.ts';
import type { TraceStore } from './traces/trace-store.ts';

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
  /** The host's own spans, in-process (its processor is registered with `startTelemetry`); kept when the span store is on. */
  spanSink?: SpanSink;
}

export interface RunningHost {
  url: string;
  adminToken: string;
  generatedAdminToken: boolean;
  /** The span store and the token its `/v1/traces` asks for; absent with TRACE_STORE=off. */
  traces?: { store: TraceStore; ingestToken: string };
  close(): Promise<void>;
}

/** The composition root: builds every piece from the config, wires them, and starts the HTTP server. */
export async function startHost(config: Config, options: HostOptions = {}): Promise<RunningHost> {
  const log = options.log ?? ((line: string) => console.error(line));
  mkdirSync(config.dataDir, { recursive: true });
  if (!existsSync(config.chinookPath)) {
    throw new Error(`No Chinook database at ${config.chinookPath}: run \`pnpm db:setup\` first.`);
  }
  const given = { sessionSecret: config.sessionSecret, adminToken: config.adminToken };
  // With a shared database the secrets come from the environment, never from a per-host file.
  const secrets = config.postgres ? sharedSecrets(given) : ensureSecrets(config.secretsPath, given);
  // With DATABASE_URL the shared support service keeps its ledger in PostgreSQL: Chinook there before it starts
  // (first, so a refused load leaves nothing open).
  const supportSetup = await prepareSupportStorage(config);
  if (supportSetup) log(`support-mcp: ${supportSetup}`);
  const rawStore = await openHostStore(config, { traced: options.telemetry !== undefined, log });
  // Live events and the per-conversation turn lock: in-process on SQLite, through PostgreSQL for replicas.
  const coordination = await openCoordination(config, { log });
  const clock = options.clock ?? (() => new Date());
  // Counters shared like the rest of the state: in memory on SQLite, in PostgreSQL for replicas (after
  // openHostStore, which registered the pg instrumentation their queries are traced by).
  const counters = await openLimiterBackend(config, { log });
  const limits = createLimits(config, { log, meter: options.telemetry?.meter ?? createNoopMeter(), clock, backend: counters });
  const directory = openCustomerDirectory(config.chinookPath);
  const traceStore = config.traces.enabled ? await openHostTraceStore(config, { log }) : undefined;
  const ingestToken = mintIngestToken();
  if (traceStore) options.spanSink?.attach(traceStore.write);
  /** The children's environment; pointed at this host's `/v1/traces` once it listens (they start later, lazily). */
  let childEnv = config.childEnv;
  const instrument = options.telemetry ? instrumentHost(options.telemetry) : undefined;
  const traced = (connection: McpConnection, server: 'catalog' | 'support') =>
    instrument ? instrument.connection(connection, server) : connection;

  /** The `node` arguments of a stdio server, decided once; saying so when it cannot start from its snapshot. */
  const nodeArgsOf = (server: 'catalog' | 'support') => {
    const start = serverStart(server);
    if (start.from === 'source') log(`${server}-mcp: starting from source: startup snapshot ${start.why}`);
    return start.nodeArgs;
  };
  // The in-process services' spans name them (their own service.name), like their processes' would.
  const tracerFor = options.telemetry?.serviceTracer;
  // Catalog: an external service (CATALOG_MCP_URL), inside the host (default), or a stdio child for everyone.
  const catalogInProcess =
    !config.catalog.url && config.catalog.mode === 'in-process'
      ? inProcessService(async () => {
          const { openInProcessCatalog } = await import('@algorhythm/catalog-mcp/in-process');
          return openInProcessCatalog({ dbPath: config.chinookPath, log: (line) => log(`catalog-mcp: ${line}`), ...(tracerFor ? { tracerFor } : {}) });
        })
      : undefined;
  const catalogNodeArgs = config.catalog.url || catalogInProcess ? [] : nodeArgsOf('catalog');
  const catalogConnection = createMcpConnection({
    label: 'catalog',
    requestTimeoutMs: config.mcpTimeoutMs,
    transport: config.catalog.url ? 'tcp' : catalogInProcess ? 'inproc' : 'pipe',
    ...instrument?.connectionOptions,
    createTransport: () =>
      config.catalog.url
        ? httpTransport(config.catalog.url)
        : catalogInProcess
          ? httpTransport(IN_PROCESS_URL, undefined, catalogInProcess.fetch)
          : stdioTransport(catalogNodeArgs, ['--db', config.chinookPath], childEnv),
  });
  const tracedCatalog = traced(catalogConnection, 'catalog');
  const supportTopology = createSupportTopology({
    config,
    nodeArgs: () => nodeArgsOf('support'),
    childEnv: () => childEnv,
    traced: (connection) => traced(connection, 'support'),
    ...(instrument ? { connectionOptions: instrument.connectionOptions } : {}),
    log,
    ...(tracerFor ? { tracerFor } : {}),
  });
  const support = supportTopology.pool;

  const built = Object.fromEntries(ROLES.map((role) => [role, createModel(config.models[role])])) as Record<Role, ChatModel>;
  const chosen: Record<Role, ChatModel> = { ...built, ...options.models };
  const models = instrument
    ? (Object.fromEntries(ROLES.map((role) => [role, instrument.model(chosen[role])])) as Record<Role, ChatModel>)
    : chosen;
  const tracing = options.tracing ?? instrument?.tracing(chosen) ?? noTracing;
  const store = instrument ? instrument.store(rawStore, tracing) : rawStore;
  for (const line of describeSelection(config.models)) log(line);
  const offline = Object.values(models).every((model) => model.provider === 'offline');
  const { conversationEvents, approvalEvents } = coordination;
  const deps = {
    store,
    // Each call charged to the customer of the turn making it (the daily budget).
    models: Object.fromEntries(ROLES.map((role) => [role, limits.model(models[role])])) as Record<Role, ChatModel>,
    catalog: toolSourceOf('catalog', tracedCatalog),
    catalogConnection: tracedCatalog,
    support,
    directory,
    conversationEvents,
    approvalEvents,
    tracing: limits.tracing(tracing),
    clock,
    newId: randomUUID,
    maxSteps: config.maxSteps,
    approvalTtlMs: config.approvalTtlMs,
    withLock: coordination.withLock,
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
    signIn: createSignInMethods(config.auth, counters),
    model: {
      offline,
      label: [...new Set(Object.values(models).map((m) => m.displayName ?? m.modelId))].join(', '),
    },
    // Spawning a customer's support server costs a few hundred ms (mostly the MCP SDK loading): pay it at sign-in.
    warmCustomer: (customerId) => void support.connectionFor(customerId).listTools().catch(() => {}),
    limits: limits.http,
    readiness: async () => {
      // A frozen database or server must not hang /readyz: no answer within the deadline is an answer.
      const check = (probe: Promise<unknown>) =>
        Promise.race([probe, new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 3 s')), 3_000).unref())]).then(
          () => 'ok',
          (error: unknown) => (error instanceof Error ? error.message : String(error)),
        );
      const [database, catalog, supportCheck] = await Promise.all([
        check(store.ping()),
        check(catalogConnection.ping()),
        check(support.connectionFor(directory.list()[0]?.id ?? 1).ping()),
      ]);
      return { database, events: coordination.events(), catalog, support: supportCheck };
    },
    shutdown: shutdown.signal,
    ...(options.webRoot ? { webRoot: options.webRoot } : {}),
    log,
    ...(instrument ? { middleware: [instrument.httpMiddleware] } : {}),
    ...(traceStore
      ? {
          traces: {
            store: traceStore,
            token: ingestToken,
            ...(config.traces.relay ? { relay: createOtlpRelay(config.traces.relay, log) } : {}),
          },
        }
      : {}),
  });

  const server: ServerType = await new Promise((resolve) => {
    const started = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(started));
  });
  const address = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${address.port}`;
  if (traceStore) childEnv = { ...config.childEnv, ...childTraceEnv(url, ingestToken, config.childEnv) };

  // Both MCP services start now (a child's environment is final once the host listens), not at the first request:
  // a cold start under load can outlast /readyz's deadline.
  void supportTopology.start().catch((error: unknown) => log(`support-mcp: ${error instanceof Error ? error.message : String(error)}`));
  void catalogConnection.listTools().catch((error: unknown) => log(`catalog-mcp: ${error instanceof Error ? error.message : String(error)}`));
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
    ...(traceStore ? { traces: { store: traceStore, ingestToken } } : {}),
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
        await catalogInProcess?.close();
        directory.close();
        await coordination.close();
        await counters.close();
        await store.close();
        options.spanSink?.detach();
        await traceStore?.close();
      })();
      return closing;
    },
  };
}
