import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startPostgresServer, type PostgresServer } from '../../packages/agent-host/src/testing/postgres-server.ts';
import { setupPostgres } from '../../packages/support-mcp/src/db/postgres/setup-postgres.ts';
import { startHaproxy, type Haproxy } from './haproxy.ts';
import { serviceEnv, startMcpService, type McpService, type McpServiceKind } from './mcp-service.ts';
import { startReaper } from './reaper.ts';
import { startReplica, type Replica } from './replica.ts';
import { loadOrCreateSecrets } from './secrets.ts';

const PRISTINE_CHINOOK = resolve(fileURLToPath(import.meta.url), '../../../data/chinook.pristine.sqlite');

export interface ClusterOptions {
  /** Everything the cluster keeps: chinook.db, secrets.json, postgres/, logs/, haproxy*.cfg. */
  dir: string;
  replicas: number;
  /** Replicas of each MCP service (default 2 each). */
  supportReplicas?: number;
  catalogReplicas?: number;
  /** The balancer's port for the hosts; the support and catalog services get the next two. 0: free ones. */
  port: number;
  /** A temp PostgreSQL (durability off, removed at stop) instead of `dir/postgres` (kept). */
  throwawayDatabase?: boolean;
  /** The replicas' environment before the cluster's own settings (model keys, OTEL_*, …). */
  env?: Record<string, string | undefined>;
  /** The replicas' entry instead of `packages/agent-host/src/main.ts` (the benchmark's simulated-model host). */
  replicaEntry?: string;
}

/** An MCP service's replicas behind their frontend on the services' balancer. */
export interface ServicePool {
  /** What every host is given as `SUPPORT_MCP_URL` / `CATALOG_MCP_URL`. */
  url: string;
  replicas: McpService[];
}

export interface Cluster {
  url: string;
  databaseUrl: string;
  adminToken: string;
  /** True when this start made the admin token (print it once). */
  generatedSecrets: boolean;
  secretsPath: string;
  postgres: PostgresServer;
  replicas: Replica[];
  haproxy: Haproxy;
  support: ServicePool;
  catalog: ServicePool;
  /** The MCP services' own balancer: up before the hosts, whose readiness asks both services. */
  servicesHaproxy: Haproxy;
  /** Every process the cluster started itself (PostgreSQL, services, replicas, both HAProxy). */
  pids(): number[];
  stop(): Promise<void>;
}

/**
 * Where the support replicas keep Chinook and the refund ledger: the cluster's PostgreSQL database (beside the hosts'
 * tables), loaded from the pristine Chinook file before any replica starts (verified, idempotent: a restart finds it
 * "already loaded"), so every replica writes one ledger, as on several machines.
 */
async function supportLedger({ databaseUrl }: { databaseUrl: string }): Promise<{ args: string[]; env: Record<string, string> }> {
  await setupPostgres({ from: PRISTINE_CHINOOK, databaseUrl });
  // The cluster's server takes no password (trust on 127.0.0.1): nothing secret in the flag `ps` shows.
  return { args: ['--database-url', databaseUrl], env: {} };
}

/**
 * PostgreSQL; the support and catalog services' replicas behind their HAProxy; `replicas` host processes on both
 * (and on PostgreSQL) behind another HAProxy; all on 127.0.0.1. Each process runs in its own process group and is
 * stopped by pid in reverse order; a reaper kills them if this process dies first.
 */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const dir = resolve(options.dir);
  const logDir = join(dir, 'logs');
  mkdirSync(logDir, { recursive: true });
  // One Chinook copy for the catalog replicas and the hosts' customer directory (the support ledger is in PostgreSQL).
  if (!existsSync(join(dir, 'chinook.db'))) copyFileSync(PRISTINE_CHINOOK, join(dir, 'chinook.db'));
  const secretsPath = join(dir, 'secrets.json');
  const { secrets, generated } = loadOrCreateSecrets(secretsPath);
  const port = async (offset: number) => (options.port ? options.port + offset : freePort());

  const reaper = startReaper();
  const started: Array<{ stop(): Promise<void> }> = [];
  const stopAll = async () => {
    // Each balancer before what it fronts (no new requests), the database last.
    for (const group of [...started].reverse()) await group.stop().catch(() => {});
    reaper.release();
  };
  /** Starts them all at once; stopped with the cluster even when one of them failed to start. */
  const startAll = async <T extends { pid: number; process: { stop(): Promise<void> } }>(starts: Array<() => Promise<T>>): Promise<T[]> => {
    const results = await Promise.allSettled(starts.map((start) => start()));
    const running = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    for (const one of running) reaper.watch(one.pid);
    started.push({ stop: async () => void (await Promise.all(running.map((one) => one.process.stop()))) });
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    return running;
  };
  try {
    const postgres = await startPostgresServer(options.throwawayDatabase ? {} : { dir: join(dir, 'postgres') });
    started.push(postgres);
    const databaseUrl = await postgres.ensureDatabase('algorhythm');

    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(options.env ?? {})) if (value !== undefined) env[key] = value;

    const ledger = await supportLedger({ databaseUrl });
    const setup: Record<McpServiceKind, { count: number; args: string[]; env: Record<string, string> }> = {
      support: {
        count: options.supportReplicas ?? 2,
        args: ledger.args,
        env: { SUPPORT_TOKEN_SECRET: secrets.SUPPORT_TOKEN_SECRET, REQUEST_STATE_KEY: secrets.REQUEST_STATE_KEY, ...ledger.env },
      },
      catalog: { count: options.catalogReplicas ?? 2, args: ['--db', join(dir, 'chinook.db')], env: {} },
    };
    const kinds = ['support', 'catalog'] as const;
    const services = await startAll(
      kinds.flatMap((kind) =>
        Array.from({ length: setup[kind].count }, (_, i) => () =>
          startMcpService({ name: `${kind}${i + 1}`, kind, args: setup[kind].args, env: { ...serviceEnv(env), ...setup[kind].env }, logDir }),
        ),
      ),
    );
    const servicesHaproxy = await startHaproxy({
      dir,
      name: 'haproxy-services',
      pools: await Promise.all(
        kinds.map(async (kind, i) => ({
          name: kind,
          port: await port(i + 1),
          servers: services.filter((s) => s.kind === kind),
          check: '/healthz',
          mcp: true,
        })),
      ),
    });
    reaper.watch(servicesHaproxy.process.pid);
    started.push(servicesHaproxy);
    const pool = (kind: McpServiceKind): ServicePool => ({
      url: `${servicesHaproxy.urls[kind]}/mcp`,
      replicas: services.filter((s) => s.kind === kind),
    });
    const support = pool('support');
    const catalog = pool('catalog');

    Object.assign(env, {
      DATA_DIR: dir,
      DATABASE_URL: databaseUrl,
      SESSION_SECRET: secrets.SESSION_SECRET,
      ADMIN_TOKEN: secrets.ADMIN_TOKEN,
      SUPPORT_MCP_URL: support.url,
      SUPPORT_TOKEN_SECRET: secrets.SUPPORT_TOKEN_SECRET,
      CATALOG_MCP_URL: catalog.url,
      // Behind the one HAProxy below, which sets X-Forwarded-For itself: per-IP limits see each client.
      TRUST_PROXY: '1',
    });
    const replicas = await startAll(
      Array.from({ length: options.replicas }, (_, i) => () =>
        startReplica({ name: `replica${i + 1}`, env, logDir, ...(options.replicaEntry ? { entry: options.replicaEntry } : {}) }),
      ),
    );

    const haproxy = await startHaproxy({
      dir,
      name: 'haproxy',
      pools: [{ name: 'hosts', port: await port(0), servers: replicas, check: '/readyz' }],
    });
    reaper.watch(haproxy.process.pid);
    started.push(haproxy);

    let stopping: Promise<void> | undefined;
    return {
      url: haproxy.urls['hosts']!,
      databaseUrl,
      adminToken: secrets.ADMIN_TOKEN,
      generatedSecrets: generated,
      secretsPath,
      postgres,
      replicas,
      haproxy,
      support,
      catalog,
      servicesHaproxy,
      pids: () => [postgres.pid, ...services.map((s) => s.pid), servicesHaproxy.process.pid, ...replicas.map((r) => r.pid), haproxy.process.pid],
      stop: () => (stopping ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
