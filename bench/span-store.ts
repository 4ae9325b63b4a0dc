// What keeping spans costs: the real host executable (main.ts, telemetry on, offline model, its MCP children)
// with the span store on and off, both exporting to a local OTLP receiver so the SDK does the same work
// either way. Both hosts run at once and take turns in alternating blocks (machine noise lands on both);
// the CPU of the host process and of its MCP children is read from /proc around each block.
// Then the store's size: bytes in data/traces.db per 1,000 turns.
import { join } from 'node:path';
import { usedBytes } from '../packages/agent-host/src/traces/prune-traces.ts';
import { openTraceDb } from '../packages/agent-host/src/traces/trace-db.ts';
import { startOtlpReceiver } from '../packages/telemetry/src/testing/otlp-receiver.ts';
import { ADMIN_TOKEN, benchDataDir, chatTurn, LIMITS_OFF, REPO, sessionCookie, SESSION_SECRET, spawnListening, type SpawnedProcess } from './lib/host-process.ts';
import { childrenOf, cpuMsOf } from './lib/proc.ts';
import { percentile, round } from './lib/stats.ts';

export interface SpanStoreResult {
  turns: number;
  on: SpanStoreRun;
  off: SpanStoreRun;
  /** Host CPU per turn, on ÷ off: the median over the block pairs (each on block ÷ the off block beside it). */
  hostCpuRatio: number;
  /** The pairs' 25th and 75th percentiles: how much the machine moved under the run. */
  hostCpuRatioSpread: [number, number];
  blocks: number;
  /** Host + MCP children CPU per turn, on ÷ off. */
  totalCpuRatio: number;
  storeBytesPer1000Turns: number;
  storedTraces: number;
  storedSpans: number;
}

interface SpanStoreRun {
  hostCpuMsPerTurn: number;
  childrenCpuMsPerTurn: number;
}

const MESSAGES = ['Which albums do you have by AC/DC?', 'Show me my invoices', 'What genres do you have?', 'What is my email address?'];

export async function benchSpanStore(options: { turns: number; blocks?: number }): Promise<SpanStoreResult> {
  const blocks = options.blocks ?? 16;
  const perBlock = Math.ceil(options.turns / blocks);
  const receiver = await startOtlpReceiver();
  const dirs = { on: benchDataDir(), off: benchDataDir() };
  const hosts: Partial<Record<'on' | 'off', SpawnedProcess>> = {};
  try {
    for (const mode of ['on', 'off'] as const) {
      hosts[mode] = await spawnListening(
        join(REPO, 'packages/agent-host/src/main.ts'),
        [],
        {
          PORT: '0',
          HOST: '127.0.0.1',
          DATA_DIR: dirs[mode].dir,
          SESSION_SECRET,
          ADMIN_TOKEN,
          ...LIMITS_OFF,
          TRACE_STORE: mode,
          OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
          OTEL_METRIC_EXPORT_INTERVAL: '60000',
        },
        /Algorhythm listening on (http:\/\/\S+)/,
      );
    }
    const cookies = { on: await sessionCookie(hosts.on!.url, 16), off: await sessionCookie(hosts.off!.url, 16) };
    const block = async (mode: 'on' | 'off', count: number) => {
      let conversationId: string | undefined;
      for (let i = 0; i < count; i++) {
        ({ conversationId } = await chatTurn(hosts[mode]!.url, cookies[mode], MESSAGES[i % MESSAGES.length]!, i % 8 === 0 ? undefined : conversationId));
      }
    };
    // Warm-up: children started, JIT warm, the store's first pages allocated.
    for (const mode of ['on', 'off'] as const) await block(mode, 40);
    const cpu = { on: { host: 0, children: 0 }, off: { host: 0, children: 0 } };
    const perPair: number[] = [];
    for (let b = 0; b < blocks; b++) {
      const host = { on: 0, off: 0 };
      for (const mode of b % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
        const pid = hosts[mode]!.pid;
        const kids = childrenOf(pid);
        const before = { host: cpuMsOf(pid), children: kids.reduce((s, k) => s + cpuMsOf(k), 0) };
        await block(mode, perBlock);
        // Let the batched span writes and the children's exports of this block land inside it.
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        host[mode] = cpuMsOf(pid) - before.host;
        cpu[mode].host += host[mode];
        cpu[mode].children += childrenOf(pid).reduce((s, k) => s + cpuMsOf(k), 0) - before.children;
      }
      perPair.push(host.on / host.off);
    }
    const turns = blocks * perBlock;
    const run = (mode: 'on' | 'off'): SpanStoreRun => ({
      hostCpuMsPerTurn: round(cpu[mode].host / turns),
      childrenCpuMsPerTurn: round(cpu[mode].children / turns),
    });
    await hosts.on!.stop(); // flushes the last spans into the store
    const db = openTraceDb(join(dirs.on.dir, 'traces.db'));
    const bytes = usedBytes(db);
    const storedTurns = db.prepare(`SELECT count(*) FROM trace WHERE agents <> ''`).pluck().get() as number;
    const storedTraces = db.prepare('SELECT count(*) FROM trace').pluck().get() as number;
    const storedSpans = db.prepare('SELECT count(*) FROM span').pluck().get() as number;
    db.close();
    const on = run('on');
    const off = run('off');
    const sorted = [...perPair].sort((x, y) => x - y);
    return {
      turns,
      on,
      off,
      hostCpuRatio: round(percentile(sorted, 50)),
      hostCpuRatioSpread: [round(percentile(sorted, 25)), round(percentile(sorted, 75))],
      blocks,
      totalCpuRatio: round((on.hostCpuMsPerTurn + on.childrenCpuMsPerTurn) / (off.hostCpuMsPerTurn + off.childrenCpuMsPerTurn)),
      storeBytesPer1000Turns: Math.round((bytes / Math.max(1, storedTurns)) * 1000),
      storedTraces,
      storedSpans,
    };
  } finally {
    for (const host of Object.values(hosts)) await host.stop();
    await receiver.close();
    dirs.on.remove();
    dirs.off.remove();
  }
}
