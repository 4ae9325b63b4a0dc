// `pnpm bench`: runs every benchmark in bench/, prints a table, writes bench-results/latest.json.
// Not tests: numbers depend on the machine. Options: --quick (smaller counts, a smoke run),
// --only=overhead,concurrency,cluster,roundtrip,shared,coldstart,otlp,spanstore,langgraph,wholeturn (a subset);
// --profile (wholeturn: both servers under --cpu-prof, profiles kept in bench-results/profiles/, top items reported).
// Benchmarks run one after another (2-core machines: never two at once) on temp copies of the pristine
// Chinook file; every process they start is stopped before the next one begins.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchCluster } from '../bench/cluster.ts';
import { benchColdStart } from '../bench/cold-start.ts';
import { benchConcurrency, type Scenario } from '../bench/concurrency.ts';
import { benchHostOverhead } from '../bench/host-overhead.ts';
import { benchLangGraph } from '../bench/langgraph.ts';
import { benchMcpRoundTrip } from '../bench/mcp-roundtrip.ts';
import { benchOtlpBytes } from '../bench/otlp-bytes.ts';
import { benchSharedSupport } from '../bench/shared-support.ts';
import { benchSpanStore } from '../bench/span-store.ts';
import { benchWholeTurn } from '../bench/whole-turn.ts';
import { machine } from '../bench/lib/proc.ts';
import { CATALOG_SNAPSHOT } from '../packages/catalog-mcp/src/launch.ts';
import { snapshotState } from '../packages/startup-snapshot/src/launch.ts';
import { SUPPORT_SNAPSHOT } from '../packages/support-mcp/src/launch.ts';

const repo = resolve(fileURLToPath(import.meta.url), '../..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const wanted = (name: string) => !only || only.includes(name);
const scale = (full: number, small: number) => (quick ? small : full);

const results: Record<string, unknown> = {};
const rows: Array<[string, string, string]> = [];
const row = (bench: string, metric: string, value: string) => rows.push([bench, metric, value]);
const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);
const started = Date.now();

// Measure the layout users run (`pnpm start` builds first): the host starts its MCP services from their V8
// startup snapshots only while those are built for this Node and fresh. If either is missing or stale, run
// the repo's own build step once, then check again (a failed snapshot build is reported, not fatal: that
// server then starts from source, and the report says so).
const snapshots = () => Object.entries({ catalog: CATALOG_SNAPSHOT, support: SUPPORT_SNAPSHOT }).map(([server, spec]) => ({ server, state: snapshotState(spec) }));
if (snapshots().some((s) => !s.state.fresh)) {
  progress(`startup snapshots not fresh (${snapshots().map((s) => `${s.server}: ${s.state.fresh ? 'fresh' : s.state.why}`).join('; ')}), running pnpm run build…`);
  execFileSync('pnpm', ['run', 'build'], { cwd: repo, stdio: ['ignore', 'inherit', 'inherit'] });
}
const mcpStart = Object.fromEntries(snapshots().map((s) => [s.server, s.state.fresh ? 'snapshot' : `source (${s.state.why})`]));
progress(`MCP services start from: ${Object.entries(mcpStart).map(([k, v]) => `${k} ${v}`).join(', ')}`);

async function step<T>(name: string, run: () => Promise<T>, report: (r: T) => void) {
  if (!wanted(name)) return;
  progress(`${name}…`);
  const t0 = Date.now();
  try {
    const result = await run();
    results[name] = result;
    report(result);
  } catch (error) {
    results[name] = { error: error instanceof Error ? error.message : String(error) };
    row(name, 'FAILED', error instanceof Error ? error.message.split('\n')[0]! : String(error));
  }
  progress(`${name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

await step('overhead', () => benchHostOverhead({ turns: scale(300, 50) }), (r) => {
  for (const kind of ['music', 'support'] as const) {
    const k = r[kind];
    row('host overhead, zero-latency model, 2 MCP calls/turn', `${kind}: p50 / p99 per turn`, `${k.sequential.p50} / ${k.sequential.p99} ms`);
    row('', `${kind}: turns/s (1 at a time / 8 in flight)`, `${k.turnsPerSecond} / ${k.parallel8TurnsPerSecond}`);
  }
});

const scenarios: Scenario[] = ['music', 'support-shared', 'support-process', 'support-stdio'];
await step(
  'concurrency',
  async () => {
    const out = [];
    for (const scenario of scenarios) {
      progress(`  concurrency ${scenario}`);
      out.push(await benchConcurrency({ scenario, conversations: scale(1000, 100), latencyMs: 300 }));
    }
    return out;
  },
  (r) => {
    for (const c of r) {
      const label = `${c.conversations} at once, 300 ms model: ${c.scenario}`;
      row(label, 'throughput', `${c.turnsPerSecond} turns/s (${c.wallSeconds} s wall, ${c.errors} errors)`);
      row('', 'added latency p50 / p99', `${c.addedLatency.p50} / ${c.addedLatency.p99} ms (model ${c.modelTimePerTurnMs} ms/turn)`);
      row('', 'host RSS before / peak, per conversation', `${c.hostRssBeforeMiB} / ${c.hostPeakRssMiB} MiB, ${c.memoryPerConversationKiB} KiB`);
      row('', 'MCP server processes, RSS', `${c.mcpChildren}, ${c.mcpChildrenRssMiB} MiB`);
    }
  },
);

await step(
  'cluster',
  async () => {
    const conversations = scale(1000, 100);
    progress('  cluster: single process on SQLite');
    const single = await benchConcurrency({ scenario: 'music', conversations, latencyMs: 300 });
    const layouts: Array<{ replicas: number; lockPoolMax?: number }> = [{ replicas: 1 }, { replicas: 3 }, { replicas: 1, lockPoolMax: 64 }];
    const clustered = [];
    for (const layout of layouts) {
      progress(`  cluster: HAProxy + ${layout.replicas} replica(s) on PostgreSQL${layout.lockPoolMax ? `, lock pool ${layout.lockPoolMax}` : ''}`);
      clustered.push(await benchCluster({ ...layout, conversations, latencyMs: 300 }));
    }
    return { single, clustered };
  },
  (r) => {
    const label = `${r.single.conversations} at once, 300 ms model, music: layouts`;
    row(label, 'single process, SQLite: throughput, added p50 / p99', `${r.single.turnsPerSecond} turns/s, ${r.single.addedLatency.p50} / ${r.single.addedLatency.p99} ms, ${r.single.errors} errors`);
    row('', 'single process: RSS before / peak', `${r.single.hostRssBeforeMiB} / ${r.single.hostPeakRssMiB} MiB`);
    for (const c of r.clustered) {
      const name = `HAProxy + ${c.replicas} on PostgreSQL${c.lockPoolMax === 'default' ? '' : ` (lock pool ${c.lockPoolMax})`}`;
      row('', `${name}: throughput, added p50 / p99`, `${c.turnsPerSecond} turns/s, ${c.addedLatency.p50} / ${c.addedLatency.p99} ms, ${c.errors} errors`);
      row('', `${name}: RSS per replica before / peak`, c.replicaRssBeforeMiB.map((b, i) => `${b} / ${c.replicaPeakRssMiB[i]}`).join(', ') + ' MiB');
      row('', `${name}: PostgreSQL connections idle / peak`, `${c.postgresConnections.idle} / ${c.postgresConnections.peak}`);
    }
  },
);

await step('roundtrip', () => benchMcpRoundTrip({ calls: scale(1000, 200) }), (r) => {
  row('MCP round trip get_albums_by_artist (µs)', 'direct SQLite query p50 / p99', `${r.direct.p50} / ${r.direct.p99}`);
  row('', 'stdio p50 / p99', `${r.stdio.p50} / ${r.stdio.p99}`);
  row('', 'Streamable HTTP p50 / p99', `${r.http.p50} / ${r.http.p99}`);
  row('', 'stdio ÷ direct, HTTP ÷ stdio (p50)', `${r.stdioOverDirectP50}×, ${r.httpOverStdioP50}×`);
});

await step('shared', () => benchSharedSupport({ calls: scale(1000, 200), tokens: scale(5900, 600) }), (r) => {
  row('support call get_customer_profile, one shared HTTP service vs stdio per customer (µs)', 'stdio (--customer-id) p50 / p99', `${r.stdio.p50} / ${r.stdio.p99}`);
  row('', 'shared HTTP service p50 / p99', `${r.http.p50} / ${r.http.p99}`);
  row('', 'HTTP ÷ stdio (p50)', `${r.httpOverStdioP50}×`);
  row('', 'in-process (the default) p50 / p99, ÷ stdio (p50)', `${r.inProcess.p50} / ${r.inProcess.p99}, ${r.inProcessOverStdioP50}×`);
  row('', 'support process CPU per call, stdio / HTTP', `${r.stdioServerCpuPerCallUs} / ${r.httpServerCpuPerCallUs} µs`);
  row('', 'caller CPU per call, stdio / HTTP / in-process (service included)', `${r.stdioHostCpuPerCallUs} / ${r.httpHostCpuPerCallUs} / ${r.inProcessHostCpuPerCallUs} µs`);
  row('', `shared service RSS after 59 / ${r.tokensCount} distinct tokens (peak)`, `${r.rssAfter59Tokens} / ${r.rssAfter5900Tokens} MiB (${r.peakRssAfter5900Tokens})`);
});

await step('coldstart', () => benchColdStart({ runs: scale(10, 3) }), (r) => {
  let label = 'MCP cold start to first tools/list (ms)';
  for (const [name, v] of Object.entries(r.host)) {
    const [server, from] = name.split('-');
    row(label, `${server}, as the host spawns it, from ${from === 'snapshot' ? 'its startup snapshot' : 'source'}: p50 / p90`, `${v.p50} / ${v.p90}`);
    label = '';
  }
  for (const [name, v] of Object.entries(r.catalogBench)) row('', `catalog bench: ${name}`, `${v.p50} / ${v.p95}`);
});

await step('otlp', () => benchOtlpBytes({ turns: scale(40, 8) }), (r) => {
  row('OTLP per turn (host + both servers, protobuf)', 'traces without content capture', `${r.withoutContent.traceBytesPerTurn} B (${r.withoutContent.spansPerTurn} spans)`);
  row('', 'traces with content capture', `${r.withContent.traceBytesPerTurn} B (${r.withContent.spansPerTurn} spans)`);
  row('', 'metrics', `${r.withoutContent.metricBytesPerTurn} B`);
});

await step('spanstore', () => benchSpanStore({ rounds: scale(5, 1), turnsPerRound: scale(400, 40), blocks: scale(4, 2) }), (r) => {
  row('span store on vs off (main.ts, offline model, all exporting OTLP)', 'host CPU per turn, on / off', `${r.on.hostCpuMsPerTurn} / ${r.off.hostCpuMsPerTurn} ms`);
  row('', `host CPU on ÷ off, median of ${r.rounds} rounds of fresh hosts`, `${r.hostCpuRatio}× (rounds: ${r.hostCpuRatios.join(', ')})`);
  row('', 'A/A control: two hosts with the store off', `${r.controlRatio}× (rounds: ${r.controlRatios.join(', ')})`);
  row('', 'MCP children CPU per turn, on / off', `${r.on.childrenCpuMsPerTurn} / ${r.off.childrenCpuMsPerTurn} ms (host + children ${r.totalCpuRatio}×)`);
  row('', 'store size per 1,000 turns', `${(r.storeBytesPer1000Turns / 1024 / 1024).toFixed(2)} MiB (${r.storedTraces} traces, ${r.storedSpans} spans kept)`);
});

await step('langgraph', () => benchLangGraph({ conversations: scale(60, 6) }), (r) => {
  row('same conversation, ours vs LangGraph.js', 'ours p50 / p99 per turn, CPU', `${r.ours.wallMs.p50} / ${r.ours.wallMs.p99} ms, ${r.ours.cpuMsPerTurn} ms`);
  row('', 'LangGraph + MemorySaver p50 / p99, CPU', `${r.langgraph.wallMs.p50} / ${r.langgraph.wallMs.p99} ms, ${r.langgraph.cpuMsPerTurn} ms`);
  row('', 'LangGraph, no checkpointer p50 / p99, CPU', `${r.langgraphNoCheckpointer.wallMs.p50} / ${r.langgraphNoCheckpointer.wallMs.p99} ms, ${r.langgraphNoCheckpointer.cpuMsPerTurn} ms`);
  row('', 'ratio LangGraph ÷ ours (p50 wall, CPU)', `${r.ratio.wallP50}×, ${r.ratio.cpu}×`);
});

await step('wholeturn', () => benchWholeTurn({ warmupTurns: scale(2000, 200), turns: scale(1000, 200), ...(args.includes('--profile') ? { profileDir: join(repo, 'bench-results/profiles') } : {}) }), (r) => {
  const label = `whole turn behind the same HTTP API, fake OpenAI vendor, ${r.inFlight} in flight${r.profiled ? ' (under --cpu-prof)' : ''}`;
  row(label, 'server CPU per turn incl. MCP children, ours / LangGraph.js', `${r.ours.cpuMsPerTurn} / ${r.langgraph.cpuMsPerTurn} ms (LangGraph ÷ ours ${r.cpuRatio}×, target ≥ 3×)`);
  row('', 'of which the server process, ours / LangGraph.js', `${r.ours.serverCpuMsPerTurn} / ${r.langgraph.serverCpuMsPerTurn} ms`);
  row('', 'RSS incl. children at start → peak, ours / LangGraph.js', `${r.ours.startRssMiB} → ${r.ours.peakRssMiB} MiB (${r.ours.processes} processes) / ${r.langgraph.startRssMiB} → ${r.langgraph.peakRssMiB} MiB (${r.langgraph.processes})`);
  row('', 'peak RSS by process, ours', Object.entries(r.ours.peakRssByProcessMiB).map(([name, m]) => `${name} ${m}`).join(', ') + ' MiB');
  row('', 'wall p50 / p99 per turn, ours / LangGraph.js', `${r.ours.wallMs.p50} / ${r.ours.wallMs.p99} ms, ${r.langgraph.wallMs.p50} / ${r.langgraph.wallMs.p99} ms`);
  row('', 'turns (warm-up), vendor calls per turn (streamed ours / LangGraph.js), errors', `${r.turns} (${r.warmupTurns}), ${r.vendorCallsPerTurn} (${r.streamedCallsPerTurn.ours} / ${r.streamedCallsPerTurn.langgraph}), ${r.ours.errors} / ${r.langgraph.errors}`);
  row('', 'load average before / after', `${r.loadAverage.before.join(' ')} / ${r.loadAverage.after.join(' ')}`);
  for (const side of ['ours', 'langgraph'] as const) {
    const p = r[side].profile;
    if (!p) continue;
    row('', `${side}: self time by the package that asked for it`, p.topCallers.slice(0, 6).map((m) => `${m.name} ${m.percent}%`).join(', '));
    row('', `${side}: top functions by self time`, p.topFunctions.slice(0, 4).map((f) => `${f.name} ${f.percent}%`).join(', '));
    row('', `${side}: profile`, p.file);
  }
});

let commit = 'unknown';
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
} catch {
  // not a git checkout
}
const report = { date: new Date().toISOString(), commit, quick, mcpStart, machine: machine(), seconds: Math.round((Date.now() - started) / 1000), results };
mkdirSync(join(repo, 'bench-results'), { recursive: true });
writeFileSync(join(repo, 'bench-results/latest.json'), `${JSON.stringify(report, null, 2)}\n`);

const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length), ['benchmark', 'metric', 'value'][i]!.length));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
const m = report.machine;
console.log(`\nAlgorhythm benchmarks — ${report.date}, commit ${commit}${quick ? ' (quick)' : ''}`);
console.log(`${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}\n`);
console.log(line(['benchmark', 'metric', 'value']));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
console.log(`\n${report.seconds} s; full results in bench-results/latest.json`);
process.exit(0);
