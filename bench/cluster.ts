// The 1,000-conversation run of bench/concurrency.ts ("music": one catalog question per conversation, 300 ms
// simulated model latency slept before each of the 3 model calls) through `pnpm cluster`'s topology: HAProxy
// (round robin) in front of N host replicas on one PostgreSQL. Measured as in concurrency.ts (wall throughput,
// latency added on top of the model's time), plus every replica's RSS (before and sampled peak), HAProxy's RSS,
// and PostgreSQL connections in use (`SELECT count(*) FROM pg_stat_activity`, idle after warm-up and peak).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster } from '../scripts/cluster/start-cluster.ts';
import { samplePostgresConnections } from '../packages/agent-host/src/testing/stored-events.ts';
import type { LoadRunFigures } from './concurrency.ts';
import { memoryOf } from './lib/proc.ts';
import { chatTurn, LIMITS_OFF, REPO, sessionCookie } from './lib/host-process.ts';
import { mib, round, summarize, timed } from './lib/stats.ts';

export interface ClusterBenchResult extends LoadRunFigures {
  replicas: number;
  lockPoolMax: number | 'default';
  replicaRssBeforeMiB: number[];
  replicaPeakRssMiB: number[];
  haproxyRssMiB: number;
  postgresConnections: { idle: number; peak: number; last: number };
}

const CUSTOMERS = 59;
const MODEL_CALLS_PER_TURN = 3;
const MESSAGE = 'Which albums do you have by AC/DC?';

export async function benchCluster(options: {
  replicas: number;
  conversations: number;
  latencyMs: number;
  /** DATABASE_LOCK_POOL_MAX for every replica (unset: the host's default). */
  lockPoolMax?: number;
}): Promise<ClusterBenchResult> {
  const { replicas, conversations, latencyMs, lockPoolMax } = options;
  const dir = mkdtempSync(join(tmpdir(), 'algorhythm-bench-cluster-'));
  const cluster = await startCluster({
    dir,
    replicas,
    port: 0,
    throwawayDatabase: true,
    replicaEntry: join(REPO, 'bench/host-entry.ts'),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TRACE_STORE: 'off', BENCH_MODEL_LATENCY_MS: String(latencyMs), SUPPORT_POOL_MAX: '64', ...LIMITS_OFF,
      ...(lockPoolMax ? { DATABASE_LOCK_POOL_MAX: String(lockPoolMax) } : {}),
    },
  });
  try {
    const cookieOf = new Map<number, string>();
    for (let id = 1; id <= CUSTOMERS; id++) cookieOf.set(id, await sessionCookie(cluster.url, id));
    // Warm-up outside the measurement, as in concurrency.ts: every replica has served turns.
    await timed(8 * replicas, 8, (i) => chatTurn(cluster.url, cookieOf.get((i % CUSTOMERS) + 1)!, MESSAGE));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const pids = cluster.replicas.map((r) => r.pid);
    const before = pids.map((pid) => memoryOf(pid).rss);
    const peak = [...before];
    const sampler = setInterval(() => pids.forEach((pid, i) => (peak[i] = Math.max(peak[i]!, memoryOf(pid).rss))), 25);
    const connections = await samplePostgresConnections(cluster.databaseUrl);

    const latencies: number[] = [];
    const errors: string[] = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: conversations }, async (_, i) => {
        const t0 = performance.now();
        try {
          await chatTurn(cluster.url, cookieOf.get((i % CUSTOMERS) + 1)!, MESSAGE);
          latencies.push(performance.now() - t0);
        } catch (error) {
          errors.push(error instanceof Error ? error.message : String(error));
        }
      }),
    );
    const wallSeconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const postgresConnections = await connections.stop();
    const modelTime = MODEL_CALLS_PER_TURN * latencyMs;
    return {
      replicas,
      lockPoolMax: lockPoolMax ?? 'default',
      conversations,
      modelLatencyMs: latencyMs,
      modelTimePerTurnMs: modelTime,
      wallSeconds: round(wallSeconds),
      turnsPerSecond: round(latencies.length / wallSeconds),
      latency: summarize(latencies),
      addedLatency: summarize(latencies.map((l) => l - modelTime)),
      errors: errors.length,
      ...(errors[0] ? { firstError: errors[0] } : {}),
      replicaRssBeforeMiB: before.map(mib),
      replicaPeakRssMiB: peak.map(mib),
      haproxyRssMiB: mib(memoryOf(cluster.haproxy.process.pid).rss),
      postgresConnections,
    };
  } finally {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
