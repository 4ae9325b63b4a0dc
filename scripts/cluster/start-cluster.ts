import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startPostgresServer, type PostgresServer } from '../../packages/agent-host/src/testing/postgres-server.ts';
import { startHaproxy, type Haproxy } from './haproxy.ts';
import { startReaper } from './reaper.ts';
import { startReplica, type Replica } from './replica.ts';

const PRISTINE_CHINOOK = resolve(fileURLToPath(import.meta.url), '../../../data/chinook.pristine.sqlite');

export interface ClusterOptions {
  /** Everything the cluster keeps: chinook.db, secrets.json, postgres/, logs/, haproxy.cfg. */
  dir: string;
  replicas: number;
  /** The balancer's port; 0 picks a free one. */
  port: number;
  /** A temp PostgreSQL (durability off, removed at stop) instead of `dir/postgres` (kept). */
  throwawayDatabase?: boolean;
  /** The replicas' environment before the cluster's own settings (model keys, OTEL_*, …). */
  env?: Record<string, string | undefined>;
  /** The replicas' entry instead of `packages/agent-host/src/main.ts` (the benchmark's simulated-model host). */
  replicaEntry?: string;
}

export interface Cluster {
  url: string;
  databaseUrl: string;
  adminToken: string;
  /** True when this start made the secrets (print the admin token once). */
  generatedSecrets: boolean;
  secretsPath: string;
  postgres: PostgresServer;
  replicas: Replica[];
  haproxy: Haproxy;
  /** Every process the cluster started itself (PostgreSQL, replicas, HAProxy). */
  pids(): number[];
  stop(): Promise<void>;
}

interface Secrets {
  SESSION_SECRET: string;
  ADMIN_TOKEN: string;
}

/** Made once and kept in the cluster's folder: every replica signs and checks with the same ones. */
function loadOrCreateSecrets(path: string): { secrets: Secrets; generated: boolean } {
  if (existsSync(path)) return { secrets: JSON.parse(readFileSync(path, 'utf8')) as Secrets, generated: false };
  const secrets = { SESSION_SECRET: randomBytes(32).toString('base64url'), ADMIN_TOKEN: randomBytes(24).toString('base64url') };
  writeFileSync(path, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return { secrets, generated: true };
}

/**
 * PostgreSQL, `replicas` host processes on it and HAProxy in front, all on 127.0.0.1. Each process runs in its
 * own process group and is stopped by pid in reverse order; a reaper kills them if this process dies first.
 */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const dir = resolve(options.dir);
  const logDir = join(dir, 'logs');
  mkdirSync(logDir, { recursive: true });
  // The support services (still on SQLite) share one Chinook copy, so the refund ledger is one ledger.
  if (!existsSync(join(dir, 'chinook.db'))) copyFileSync(PRISTINE_CHINOOK, join(dir, 'chinook.db'));
  const secretsPath = join(dir, 'secrets.json');
  const { secrets, generated } = loadOrCreateSecrets(secretsPath);

  const reaper = startReaper();
  const started: Array<{ stop(): Promise<void> }> = [];
  const stopAll = async () => {
    // Balancer first (no new requests), then the replicas, then their database.
    for (const group of [...started].reverse()) await group.stop().catch(() => {});
    reaper.release();
  };
  try {
    const postgres = await startPostgresServer(options.throwawayDatabase ? {} : { dir: join(dir, 'postgres') });
    started.push(postgres);
    const databaseUrl = await postgres.ensureDatabase('algorhythm');

    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(options.env ?? {})) if (value !== undefined) env[key] = value;
    Object.assign(env, { DATA_DIR: dir, DATABASE_URL: databaseUrl, ...secrets });
    const results = await Promise.allSettled(
      Array.from({ length: options.replicas }, (_, i) => startReplica({ name: `replica${i + 1}`, env, logDir, ...(options.replicaEntry ? { entry: options.replicaEntry } : {}) })),
    );
    const replicas = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    for (const replica of replicas) reaper.watch(replica.pid);
    started.push({ stop: async () => void (await Promise.all(replicas.map((r) => r.process.stop()))) });
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;

    const haproxy = await startHaproxy({ dir, port: options.port || (await freePort()), backends: replicas.map((r) => ({ name: r.name, port: r.port })) });
    reaper.watch(haproxy.process.pid);
    started.push(haproxy);

    let stopping: Promise<void> | undefined;
    return {
      url: haproxy.url,
      databaseUrl,
      adminToken: secrets.ADMIN_TOKEN,
      generatedSecrets: generated,
      secretsPath,
      postgres,
      replicas,
      haproxy,
      pids: () => [postgres.pid, ...replicas.map((r) => r.pid), haproxy.process.pid],
      stop: () => (stopping ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
