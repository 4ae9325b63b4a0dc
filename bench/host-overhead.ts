// Host overhead per turn: the real host process (HTTP, supervisor, specialist loop, SQLite store) with a
// zero-latency model that makes two real MCP tool calls per turn (parallel, over stdio to the real servers).
// With the model costing nothing, a turn's time is what the host and the MCP round trips add.
import { memoryOf } from './lib/proc.ts';
import { benchDataDir, chatTurn, sessionCookie, spawnBenchHost } from './lib/host-process.ts';
import { round, summarize, timed, type Summary } from './lib/stats.ts';

export interface HostOverheadResult {
  turns: number;
  music: { sequential: Summary; turnsPerSecond: number; parallel8TurnsPerSecond: number };
  support: { sequential: Summary; turnsPerSecond: number; parallel8TurnsPerSecond: number };
  hostRssMiB: number;
}

const QUESTIONS = { music: 'Which albums do you have by AC/DC?', support: 'Show me my profile and my invoices' } as const;

export async function benchHostOverhead(options: { turns: number }): Promise<HostOverheadResult> {
  const data = benchDataDir();
  const host = await spawnBenchHost(data.dir, { BENCH_MODEL_LATENCY_MS: '0' });
  try {
    const cookie = await sessionCookie(host.url, 16);
    const run = async (kind: keyof typeof QUESTIONS) => {
      const turn = () => chatTurn(host.url, cookie, QUESTIONS[kind]);
      await timed(30, 1, turn); // warm-up: spawns the MCP child, JIT
      const sequential = await timed(options.turns, 1, turn);
      const started = performance.now();
      await timed(options.turns, 8, turn);
      const parallelSeconds = (performance.now() - started) / 1000;
      const stats = summarize(sequential);
      return {
        sequential: stats,
        turnsPerSecond: round(1000 / stats.mean),
        parallel8TurnsPerSecond: round(options.turns / parallelSeconds),
      };
    };
    const music = await run('music');
    const support = await run('support');
    return { turns: options.turns, music, support, hostRssMiB: Math.round(memoryOf(host.pid).rss / 1024 / 1024) };
  } finally {
    await host.stop();
    data.remove();
  }
}
