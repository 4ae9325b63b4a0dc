// `pnpm cluster`: the several-machine topology on this one: PostgreSQL, host replicas on it, HAProxy in front.
// Options: CLUSTER_HOSTS or --replicas N (default 3), CLUSTER_PORT or --port P (default 8080).
// Everything is kept in data/cluster/ (PostgreSQL data, secrets, the support services' Chinook copy, logs), so
// a restart finds the conversations again; delete the folder for a fresh start. Ctrl-C / SIGTERM stops all.
// The replicas get this process's environment (model keys, OTEL_*), with the cluster's DATA_DIR, DATABASE_URL,
// SESSION_SECRET and ADMIN_TOKEN on top.
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCluster, type Cluster } from './cluster/start-cluster.ts';

const repo = resolve(fileURLToPath(import.meta.url), '../..');
const dir = resolve(repo, 'data/cluster');

function option(flag: string, envName: string, fallback: number): number {
  const at = process.argv.indexOf(flag);
  const raw = at >= 0 ? process.argv[at + 1] : process.env[envName];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`cluster: ${flag} / ${envName} must be a whole number (got ${raw})`);
    process.exit(1);
  }
  return value;
}

const replicas = option('--replicas', 'CLUSTER_HOSTS', 3);
const port = option('--port', 'CLUSTER_PORT', 8080);
if (replicas < 1) {
  console.error('cluster: at least one replica');
  process.exit(1);
}

let cluster: Cluster | undefined;
let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.error(`cluster: ${signal}, stopping`);
  await cluster?.stop();
  process.exit(0);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));

const env = { ...process.env };
// The cluster chooses these; an operator's own values in .env must not leak into the replicas.
for (const name of ['PORT', 'HOST', 'DATA_DIR', 'DATABASE_URL', 'SESSION_SECRET', 'ADMIN_TOKEN']) delete env[name];

try {
  cluster = await startCluster({ dir, replicas, port, env });
} catch (error) {
  console.error(`cluster: could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
if (stopping) await new Promise(() => {}); // a signal arrived while starting: stop() exits

const shown = relative(process.cwd(), dir) || '.';
console.log(`database: ${cluster.databaseUrl} (data in ${shown}/postgres, kept across restarts)`);
for (const replica of cluster.replicas) console.log(`replica: ${replica.url} pid ${replica.pid}`);
// The next issue's shared MCP services print here: `support: …` and `catalog: …`.
console.log(
  cluster.generatedSecrets
    ? `admin token (generated, shown once, kept in ${relative(process.cwd(), cluster.secretsPath)}): ${cluster.adminToken}`
    : `admin token: in ${relative(process.cwd(), cluster.secretsPath)}`,
);
console.log(`cluster ready: ${cluster.url}`);

// A replica that dies stays down (HAProxy stops sending it requests); say so once.
for (const replica of cluster.replicas) {
  void replica.process.exited.then((code) => {
    if (!stopping) console.error(`cluster: ${replica.name} (pid ${replica.pid}) exited (${code}); see ${shown}/logs/${replica.name}.log`);
  });
}
