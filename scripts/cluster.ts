// `pnpm cluster`: the several-machine topology on this one: PostgreSQL, host replicas on it, HAProxy in front, and
// the support and catalog MCP services as replicas behind their own HAProxy, shared by every host.
// Options: CLUSTER_HOSTS or --replicas N (default 3), CLUSTER_SUPPORT or --support N and CLUSTER_CATALOG or
// --catalog N (default 2 each), CLUSTER_PORT or --port P (default 8080: hosts; P+1: support, P+2: catalog).
// Everything is kept in data/cluster/ (PostgreSQL data, secrets, the support services' Chinook copy, logs), so
// a restart finds the conversations again; delete the folder for a fresh start. Ctrl-C / SIGTERM stops all.
// The replicas get this process's environment (model keys, OTEL_*), with the cluster's DATA_DIR, DATABASE_URL,
// SESSION_SECRET, ADMIN_TOKEN and the services' URLs and token secret on top; the services get PATH, HOME and OTEL_*.
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
const supportReplicas = option('--support', 'CLUSTER_SUPPORT', 2);
const catalogReplicas = option('--catalog', 'CLUSTER_CATALOG', 2);
const port = option('--port', 'CLUSTER_PORT', 8080);
if (replicas < 1 || supportReplicas < 1 || catalogReplicas < 1) {
  console.error('cluster: at least one replica of the host and of each service');
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
const chosen = ['PORT', 'HOST', 'DATA_DIR', 'DATABASE_URL', 'SESSION_SECRET', 'ADMIN_TOKEN', 'SUPPORT_MCP_URL', 'CATALOG_MCP_URL', 'SUPPORT_TOKEN_SECRET', 'REQUEST_STATE_KEY'];
for (const name of chosen) delete env[name];

try {
  cluster = await startCluster({ dir, replicas, supportReplicas, catalogReplicas, port, env });
} catch (error) {
  console.error(`cluster: could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
if (stopping) await new Promise(() => {}); // a signal arrived while starting: stop() exits

const shown = relative(process.cwd(), dir) || '.';
console.log(`database: ${cluster.databaseUrl} (the hosts' state and the support ledger; data in ${shown}/postgres, kept across restarts)`);
for (const replica of cluster.replicas) console.log(`replica: ${replica.url} pid ${replica.pid}`);
for (const [kind, pool] of [['support', cluster.support], ['catalog', cluster.catalog]] as const) {
  console.log(`${kind}: ${pool.url} (round robin over ${pool.replicas.map((s) => `${s.url} pid ${s.pid}`).join(', ')})`);
}
console.log(
  cluster.generatedSecrets
    ? `admin token (generated, shown once, kept in ${relative(process.cwd(), cluster.secretsPath)}): ${cluster.adminToken}`
    : `admin token: in ${relative(process.cwd(), cluster.secretsPath)}`,
);
console.log(`cluster ready: ${cluster.url}`);

// A replica that dies stays down (HAProxy stops sending it requests); say so once.
for (const replica of [...cluster.replicas, ...cluster.support.replicas, ...cluster.catalog.replicas]) {
  void replica.process.exited.then((code) => {
    if (!stopping) console.error(`cluster: ${replica.name} (pid ${replica.pid}) exited (${code}); see ${shown}/logs/${replica.name}.log`);
  });
}
