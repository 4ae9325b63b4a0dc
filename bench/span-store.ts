// What keeping spans costs: the real host executable (main.ts, telemetry on, offline model, its MCP children)
// with the span store on and off, all exporting to a local OTLP receiver so the SDK does the same work either
// way. Two identical processes differ by several percent (JIT, heap layout), so each round starts a fresh trio —
// one host with the store on and two with it off (the second is the A/A control: the noise floor) — in a rotated
// order, and they take turns in alternating blocks; CPU of each host and of its MCP children is read from /proc
// around every block. The ratios are medians over the rounds. Then the store's size: bytes in data/traces.db
// per 1,000 turns.
import { join } from 'node:path';
import { usedBytes } from '../packages/agent-host/src/traces/prune-traces.ts';
import { openTraceDb } from '../packages/agent-host/src/traces/trace-db.ts';
import { startOtlpReceiver } from '../packages/telemetry/src/testing/otlp-receiver.ts';
import { ADMIN_TOKEN, benchDataDir, chatTurn, LIMITS_OFF, REPO, sessionCookie, SESSION_SECRET, spawnListening, type SpawnedProcess } from './lib/host-process.ts';
import { childrenOf, cpuMsOf } from './lib/proc.ts';
import { percentile, round } from './lib/stats.ts';

export interface SpanStoreResult {
  rounds: number;
  /** Measured turns per host per round. */
  turnsPerRound: number;
  on: SpanStoreRun;
  off: SpanStoreRun;
  /** Host CPU per turn, on ÷ off: the median over the rounds, and each round's. */
  hostCpuRatio: number;
  hostCpuRatios: number[];
  /** The same for two hosts with the store off (A/A): how far apart identical processes are. */
  controlRatio: number;
  controlRatios: number[];
  /** Host + MCP children CPU per turn, on ÷ off (median). */
  totalCpuRatio: number;
  storeBytesPer1000Turns: number;
  storedTraces: number;
  storedSpans: number;
}

interface SpanStoreRun {
  hostCpuMsPerTurn: number;
  childrenCpuMsPerTurn: number;
}

type Slot = 'on' | 'off' | 'control';
const SLOTS: Slot[] = ['on', 'off', 'control'];
const MESSAGES = ['Which albums do you have by AC/DC?', 'Show me my invoices', 'What genres do you have?', 'What is my email address?'];
const median = (values: number[]) => round(percentile([...values].sort((a, b) => a - b), 50));

export async function benchSpanStore(options: { rounds?: number; turnsPerRound: number; blocks?: number }): Promise<SpanStoreResult> {
  const rounds = options.rounds ?? 5;
  const blocks = options.blocks ?? 4;
  const perBlock = Math.ceil(options.turnsPerRound / blocks);
  const receiver = await startOtlpReceiver();
  const totals = Object.fromEntries(SLOTS.map((slot) => [slot, { host: 0, children: 0 }])) as Record<Slot, { host: number; children: number }>;
  const ratios = { host: [] as number[], total: [] as number[], control: [] as number[] };
  let size = { bytes: 0, turns: 0, traces: 0, spans: 0 };
  try {
    for (let r = 0; r < rounds; r++) {
      const order = SLOTS.map((_, i) => SLOTS[(i + r) % SLOTS.length]!);
      const dirs = Object.fromEntries(SLOTS.map((slot) => [slot, benchDataDir()])) as Record<Slot, ReturnType<typeof benchDataDir>>;
      const hosts: Partial<Record<Slot, SpawnedProcess>> = {};
      try {
        for (const slot of order) hosts[slot] = await spawnHost(dirs[slot].dir, slot === 'on' ? 'on' : 'off', receiver.url);
        const cookies = Object.fromEntries(await Promise.all(SLOTS.map(async (slot) => [slot, await sessionCookie(hosts[slot]!.url, 16)]))) as Record<Slot, string>;
        const block = async (slot: Slot, count: number) => {
          let conversationId: string | undefined;
          for (let i = 0; i < count; i++) {
            ({ conversationId } = await chatTurn(hosts[slot]!.url, cookies[slot], MESSAGES[i % MESSAGES.length]!, i % 8 === 0 ? undefined : conversationId));
          }
        };
        // Warm-up: children started, JIT warm, the store's first pages allocated.
        for (const slot of order) await block(slot, 40);
        const cpu = Object.fromEntries(SLOTS.map((slot) => [slot, { host: 0, children: 0 }])) as Record<Slot, { host: number; children: number }>;
        for (let b = 0; b < blocks; b++) {
          for (const slot of b % 2 === 0 ? order : [...order].reverse()) {
            const pid = hosts[slot]!.pid;
            const before = { host: cpuMsOf(pid), children: childrenOf(pid).reduce((s, k) => s + cpuMsOf(k), 0) };
            await block(slot, perBlock);
            // Let the batched span writes and the children's exports of this block land inside it.
            await new Promise((resolve) => setTimeout(resolve, 1_200));
            cpu[slot].host += cpuMsOf(pid) - before.host;
            cpu[slot].children += childrenOf(pid).reduce((s, k) => s + cpuMsOf(k), 0) - before.children;
          }
        }
        for (const slot of SLOTS) {
          totals[slot].host += cpu[slot].host;
          totals[slot].children += cpu[slot].children;
        }
        ratios.host.push(cpu.on.host / cpu.off.host);
        ratios.total.push((cpu.on.host + cpu.on.children) / (cpu.off.host + cpu.off.children));
        ratios.control.push(cpu.control.host / cpu.off.host);
        if (r === rounds - 1) {
          await hosts.on!.stop(); // flushes the last spans into the store
          size = storeSize(join(dirs.on.dir, 'traces.db'));
        }
      } finally {
        for (const host of Object.values(hosts)) await host.stop();
        for (const dir of Object.values(dirs)) dir.remove();
      }
    }
    const turns = rounds * blocks * perBlock;
    const run = (slot: Slot): SpanStoreRun => ({
      hostCpuMsPerTurn: round(totals[slot].host / turns),
      childrenCpuMsPerTurn: round(totals[slot].children / turns),
    });
    return {
      rounds,
      turnsPerRound: blocks * perBlock,
      on: run('on'),
      off: run('off'),
      hostCpuRatio: median(ratios.host),
      hostCpuRatios: ratios.host.map(round),
      controlRatio: median(ratios.control),
      controlRatios: ratios.control.map(round),
      totalCpuRatio: median(ratios.total),
      storeBytesPer1000Turns: Math.round((size.bytes / Math.max(1, size.turns)) * 1000),
      storedTraces: size.traces,
      storedSpans: size.spans,
    };
  } finally {
    await receiver.close();
  }
}

function spawnHost(dataDir: string, store: 'on' | 'off', otlpUrl: string): Promise<SpawnedProcess> {
  return spawnListening(
    join(REPO, 'packages/agent-host/src/main.ts'),
    [],
    {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      SESSION_SECRET,
      ADMIN_TOKEN,
      ...LIMITS_OFF,
      TRACE_STORE: store,
      OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl,
      OTEL_METRIC_EXPORT_INTERVAL: '60000',
    },
    /Algorhythm listening on (http:\/\/\S+)/,
  );
}

function storeSize(path: string) {
  const db = openTraceDb(path);
  try {
    return {
      bytes: usedBytes(db),
      turns: db.prepare(`SELECT count(*) FROM trace WHERE agents <> ''`).pluck().get() as number,
      traces: db.prepare('SELECT count(*) FROM trace').pluck().get() as number,
      spans: db.prepare('SELECT count(*) FROM span').pluck().get() as number,
    };
  } finally {
    db.close();
  }
}
