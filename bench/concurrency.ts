// Many simultaneous conversations against one host process with a simulated model latency (slept before each
// of the 3 model calls of a turn: route, tool step, answer). Measured: wall-clock throughput, the latency the
// host adds on top of the model's own time, errors, the host's peak RSS (sampled) and what one conversation
// costs in host memory, plus the MCP children's RSS. Scenarios differ in where the support tools live:
//   music           catalog tools only (the default: the catalog service inside the host)
//   support-shared  the default: ONE support service inside the host (its HTTP face without a socket, a bearer token
//                   per customer)
//   support-process ONE support service the host starts as a child (SUPPORT_MCP_MODE=process: HTTP on 127.0.0.1)
//   support-stdio   one stdio support server per customer (SUPPORT_MCP_MODE=stdio-per-customer; Chinook has 59,
//                   pool sized to hold them all)
//   support-http    one Streamable HTTP support server run outside the host (SUPPORT_MCP_URL, bearer per customer)
import { join } from 'node:path';
import { childrenOf, memoryOf } from './lib/proc.ts';
import { benchDataDir, chatTurn, REPO, sessionCookie, spawnBenchHost, spawnListening, type SpawnedProcess } from './lib/host-process.ts';
import { mib, round, summarize, timed, type Summary } from './lib/stats.ts';

export type Scenario = 'music' | 'support-shared' | 'support-process' | 'support-stdio' | 'support-http';

/** What every N-conversations-at-once run measures, whatever the layout behind it. */
export interface LoadRunFigures {
  conversations: number;
  modelLatencyMs: number;
  modelTimePerTurnMs: number;
  wallSeconds: number;
  turnsPerSecond: number;
  latency: Summary;
  addedLatency: Summary;
  errors: number;
  firstError?: string;
}

export interface ConcurrencyResult extends LoadRunFigures {
  scenario: Scenario;
  hostRssBeforeMiB: number;
  hostPeakRssMiB: number;
  memoryPerConversationKiB: number;
  mcpChildren: number;
  mcpChildrenRssMiB: number;
}

const CUSTOMERS = 59;
const TOKEN_SECRET = 'bench-support-token-secret-0123456789abcdef';
const MODEL_CALLS_PER_TURN = 3;

export async function benchConcurrency(options: { scenario: Scenario; conversations: number; latencyMs: number }): Promise<ConcurrencyResult> {
  const { scenario, conversations, latencyMs } = options;
  const data = benchDataDir();
  let supportServer: SpawnedProcess | undefined;
  const env: Record<string, string> = { BENCH_MODEL_LATENCY_MS: String(latencyMs), SUPPORT_POOL_MAX: '64' };
  if (scenario === 'support-stdio') env.SUPPORT_MCP_MODE = 'stdio-per-customer';
  if (scenario === 'support-process') env.SUPPORT_MCP_MODE = 'process';
  if (scenario === 'support-http') {
    supportServer = await spawnListening(
      join(REPO, 'packages/support-mcp/src/main.ts'),
      ['--http', '--port', '0', '--host', '127.0.0.1', '--db', join(data.dir, 'chinook.db')],
      { SUPPORT_TOKEN_SECRET: TOKEN_SECRET },
      /listening on (http:\/\/\S+)/,
    );
    Object.assign(env, { SUPPORT_MCP_URL: supportServer.url, SUPPORT_TOKEN_SECRET: TOKEN_SECRET });
  }
  const host = await spawnBenchHost(data.dir, env);
  const message = scenario === 'music' ? 'Which albums do you have by AC/DC?' : 'Show me my profile and my invoices';
  const customer = (i: number) => (i % CUSTOMERS) + 1;
  try {
    // Signed in once per customer, outside the measurement, as a page would be.
    const cookieOf = new Map<number, string>();
    for (let id = 1; id <= CUSTOMERS; id++) cookieOf.set(id, await sessionCookie(host.url, id));
    // Warm-up outside the measurement: every customer's support connection exists (cold start is its own bench).
    // A turn that fails while 59 stdio children start at once on a busy machine (the SDK's discover probe can time
    // out) is asked once more: the warm-up is there to have every connection up, not to measure.
    const warm = (i: number) => chatTurn(host.url, cookieOf.get(customer(i))!, message);
    await timed(scenario === 'music' ? 8 : CUSTOMERS, 8, (i) => warm(i).catch(() => warm(i)));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = memoryOf(host.pid).rss;

    let peak = before;
    let childrenAtPeak = 0;
    const sampler = setInterval(() => {
      const rss = memoryOf(host.pid).rss;
      if (rss >= peak) {
        peak = rss;
        childrenAtPeak = childrenOf(host.pid).reduce((sum, pid) => sum + memoryOf(pid).rss, 0);
      }
    }, 25);
    const cookies = Array.from({ length: conversations }, (_, i) => cookieOf.get(customer(i))!);
    const latencies: number[] = [];
    const errors: string[] = [];
    const started = performance.now();
    await Promise.all(
      cookies.map(async (cookie) => {
        const t0 = performance.now();
        try {
          await chatTurn(host.url, cookie, message);
          latencies.push(performance.now() - t0);
        } catch (error) {
          errors.push(error instanceof Error ? error.message : String(error));
        }
      }),
    );
    const wallSeconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const children = childrenOf(host.pid);
    if (supportServer) childrenAtPeak += memoryOf(supportServer.pid).rss;
    const modelTime = MODEL_CALLS_PER_TURN * latencyMs;
    return {
      scenario,
      conversations,
      modelLatencyMs: latencyMs,
      modelTimePerTurnMs: modelTime,
      wallSeconds: round(wallSeconds),
      turnsPerSecond: round(latencies.length / wallSeconds),
      latency: summarize(latencies),
      addedLatency: summarize(latencies.map((l) => l - modelTime)),
      errors: errors.length,
      ...(errors[0] ? { firstError: errors[0] } : {}),
      hostRssBeforeMiB: mib(before),
      hostPeakRssMiB: mib(peak),
      memoryPerConversationKiB: Math.round((peak - before) / 1024 / conversations),
      mcpChildren: children.length + (supportServer ? 1 : 0),
      mcpChildrenRssMiB: mib(childrenAtPeak),
    };
  } finally {
    await host.stop();
    await supportServer?.stop();
    data.remove();
  }
}
