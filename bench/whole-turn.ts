// Whole-turn server cost, ours vs LangGraph.js, behind the same HTTP API (issue 13). Both servers are real
// processes against one fake OpenAI vendor (bench/lib/fake-openai-vendor.ts, in this process): our host is
// main.ts at its defaults (both MCP services, span store) with the real `openai` provider adapter; LangGraph.js
// is the seed's graph with the real `ChatOpenAI` (bench/lib/langgraph-server.ts). This process is the client:
// one signed-in customer, a fresh conversation per turn, `inFlight` turns at once, three vendor calls and one
// tool call per turn. After the warm-up the sides take turns in alternating blocks; server CPU is the
// utime + stime of the server and every descendant from /proc around each block, ÷ turns. Peak RSS is the
// server plus its descendants, summed, sampled every 50 ms. `profileDir`: both servers run with --cpu-prof.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { summarizeCpuProfile, type ProfileSummary } from './lib/cpu-profile.ts';
import { startFakeOpenAIVendor } from './lib/fake-openai-vendor.ts';
import { ADMIN_TOKEN, benchDataDir, chatTurn, LIMITS_OFF, REPO, sessionCookie, SESSION_SECRET, spawnListening, type SpawnedProcess } from './lib/host-process.ts';
import { cpuMsOf, descendantsOf, memoryOf, treeCpuMs, treeRss } from './lib/proc.ts';
import { mib, round, sleep, summarize, timed, type Summary } from './lib/stats.ts';

export interface WholeTurnOptions {
  warmupTurns: number;
  turns: number;
  inFlight?: number;
  blocks?: number;
  /** Run both servers under --cpu-prof and keep the .cpuprofile files in this folder (open them in DevTools). */
  profileDir?: string;
}

export interface WholeTurnSide {
  /** Server + all descendants (our MCP services), ms per measured turn. */
  cpuMsPerTurn: number;
  /** Of which the server process itself. */
  serverCpuMsPerTurn: number;
  /** Server + descendants, summed: once listening (before any turn), and the peak over the run (warm-up included). */
  startRssMiB: number;
  peakRssMiB: number;
  processes: number;
  /** Each process's own peak RSS (VmHWM), read at the end of the run. */
  peakRssByProcessMiB: Record<string, number>;
  wallMs: Summary;
  errors: number;
  profile?: ProfileSummary & { file: string };
}

export interface WholeTurnResult {
  warmupTurns: number;
  turns: number;
  inFlight: number;
  vendorCallsPerTurn: number;
  /** Of those, streamed (SSE), per turn: ours streams the specialists' calls, `ChatOpenAI.invoke` none. */
  streamedCallsPerTurn: { ours: number; langgraph: number };
  loadAverage: { before: number[]; after: number[] };
  profiled: boolean;
  ours: WholeTurnSide;
  langgraph: WholeTurnSide;
  /** LangGraph ÷ ours (target: ≥ 3 for CPU). */
  cpuRatio: number;
  targets: { cpuAtMostThirdOfLangGraph: boolean; rssBelowLangGraph: boolean };
}

const MESSAGES = ['Which albums do you have by AC/DC?', 'What is my email address?'];
const SIDES = ['ours', 'langgraph'] as const;
type Side = (typeof SIDES)[number];

export async function benchWholeTurn(options: WholeTurnOptions): Promise<WholeTurnResult> {
  const inFlight = options.inFlight ?? 4;
  const blocks = options.blocks ?? 4;
  const perBlock = Math.ceil(options.turns / blocks);
  const loadBefore = loadavg().map(round);
  const vendor = await startFakeOpenAIVendor();
  const data = { ours: benchDataDir(), langgraph: benchDataDir() };
  const profileDir = options.profileDir;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const profiling: Record<string, string> = profileDir ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir}` } : {};
  const servers: Partial<Record<Side, SpawnedProcess>> = {};
  const peakRss = { ours: 0, langgraph: 0 };
  let sampler: NodeJS.Timeout | undefined;
  try {
    servers.ours = await spawnListening(
      join(REPO, 'packages/agent-host/src/main.ts'),
      [],
      {
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: data.ours.dir,
        SESSION_SECRET,
        ADMIN_TOKEN,
        ...LIMITS_OFF,
        SUPERVISOR_MODEL: 'gpt-4o-mini',
        MUSIC_EXPERT_MODEL: 'gpt-4o-mini',
        SUPPORT_REP_MODEL: 'gpt-4o-mini',
        OPENAI_API_KEY: 'dummy',
        OPENAI_BASE_URL: vendor.baseURL,
        ...profiling,
      },
      /Algorhythm listening on (http:\/\/\S+)/,
    );
    servers.langgraph = await spawnListening(
      join(REPO, 'bench/langgraph-host-entry.ts'),
      [],
      { PORT: '0', DATA_DIR: data.langgraph.dir, OPENAI_BASE_URL: vendor.baseURL, ...profiling },
      /langgraph host listening on (http:\/\/\S+)/,
    );
    const startRss = { ours: treeRss(servers.ours.pid), langgraph: treeRss(servers.langgraph.pid) };
    sampler = setInterval(() => {
      for (const side of SIDES) peakRss[side] = Math.max(peakRss[side], treeRss(servers[side]!.pid));
    }, 50);
    const cookies = { ours: await sessionCookie(servers.ours.url, 16), langgraph: await sessionCookie(servers.langgraph.url, 16) };
    const errors = { ours: 0, langgraph: 0 };
    const run = (side: Side, count: number) =>
      timed(count, inFlight, async (i) => {
        try {
          const { reply } = await chatTurn(servers[side]!.url, cookies[side], MESSAGES[i % MESSAGES.length]!);
          if (!reply.startsWith('Here is what I found')) throw new Error(`unexpected reply: ${reply.slice(0, 120)}`);
        } catch (error) {
          if (++errors[side] <= 3) process.stderr.write(`bench: wholeturn ${side}: ${error instanceof Error ? error.message : String(error)}\n`);
        }
      });

    // Warm-up in halves, alternating, so both JITs, caches and stores settle under the same machine load.
    for (const half of [0, 1]) for (const side of half ? [...SIDES].reverse() : SIDES) await run(side, Math.ceil(options.warmupTurns / 2));
    const callsBefore = vendor.counts.route + vendor.counts.toolCall + vendor.counts.final;
    const cpu = { ours: { total: 0, server: 0 }, langgraph: { total: 0, server: 0 } };
    const wall = { ours: [] as number[], langgraph: [] as number[] };
    const streamed = { ours: 0, langgraph: 0 };
    for (let b = 0; b < blocks; b++) {
      for (const side of b % 2 === 0 ? SIDES : [...SIDES].reverse()) {
        const pid = servers[side]!.pid;
        await sleep(300);
        const before = { total: treeCpuMs(pid), server: cpuMsOf(pid) };
        const streamedBefore = vendor.counts.streamed;
        wall[side].push(...(await run(side, perBlock)));
        streamed[side] += vendor.counts.streamed - streamedBefore;
        // Work a turn leaves behind (batched span writes, exports) belongs to that block.
        await sleep(1_000);
        cpu[side].total += treeCpuMs(pid) - before.total;
        cpu[side].server += cpuMsOf(pid) - before.server;
      }
    }
    const turns = blocks * perBlock;
    const calls = vendor.counts.route + vendor.counts.toolCall + vendor.counts.final - callsBefore;
    clearInterval(sampler);
    const processes = { ours: 1 + descendantsOf(servers.ours.pid).length, langgraph: 1 + descendantsOf(servers.langgraph.pid).length };
    const byProcess = { ours: peakByProcess(servers.ours.pid), langgraph: peakByProcess(servers.langgraph.pid) };
    const pids = { ours: servers.ours.pid, langgraph: servers.langgraph.pid };
    for (const side of SIDES) await servers[side]!.stop();
    const side = (name: Side): WholeTurnSide => ({
      cpuMsPerTurn: round(cpu[name].total / turns),
      serverCpuMsPerTurn: round(cpu[name].server / turns),
      startRssMiB: mib(startRss[name]),
      peakRssMiB: mib(peakRss[name]),
      processes: processes[name],
      peakRssByProcessMiB: byProcess[name],
      wallMs: summarize(wall[name]),
      errors: errors[name],
      ...(profileDir ? profileOf(profileDir, pids[name]) : {}),
    });
    const ours = side('ours');
    const langgraph = side('langgraph');
    const cpuRatio = round(langgraph.cpuMsPerTurn / ours.cpuMsPerTurn);
    return {
      warmupTurns: options.warmupTurns,
      turns,
      inFlight,
      vendorCallsPerTurn: round(calls / (2 * turns)),
      streamedCallsPerTurn: { ours: round(streamed.ours / turns), langgraph: round(streamed.langgraph / turns) },
      loadAverage: { before: loadBefore, after: loadavg().map(round) },
      profiled: Boolean(profileDir),
      ours,
      langgraph,
      cpuRatio,
      targets: { cpuAtMostThirdOfLangGraph: cpuRatio >= 3, rssBelowLangGraph: ours.peakRssMiB < langgraph.peakRssMiB },
    };
  } finally {
    clearInterval(sampler);
    for (const server of Object.values(servers)) await server.stop();
    await vendor.close();
    data.ours.remove();
    data.langgraph.remove();
  }
}

/** Peak RSS of a server and each descendant, named by its entry file. */
function peakByProcess(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of [pid, ...descendantsOf(pid)]) {
    let name = String(p);
    try {
      const argv = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
      name = relative(REPO, argv.find((arg) => /\.(ts|js|mjs|blob)$/.test(arg)) ?? argv[0] ?? name);
    } catch {
      // exited
    }
    out[name in out ? `${name} (${p})` : name] = mib(memoryOf(p).peak);
  }
  return out;
}

/** The profile node wrote for `pid` at exit (file names carry the pid). */
function profileOf(dir: string, pid: number): { profile?: ProfileSummary & { file: string } } {
  const name = readdirSync(dir).find((entry) => entry.endsWith('.cpuprofile') && entry.split('.').includes(String(pid)));
  return name ? { profile: { file: join(dir, name), ...summarizeCpuProfile(join(dir, name)) } } : {};
}
