import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ATTR, spanName } from '@algorhythm/telemetry';
import { afterEach, describe, expect, it } from 'vitest';
import { overviewRange } from './overview-window.ts';
import type { SpanRecord } from './span-record.ts';
import { openTraceStore, type TraceStore } from './trace-store.ts';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 4, 18, 30);
const dirs: string[] = [];
const stores: TraceStore[] = [];

function open(): TraceStore {
  const dir = mkdtempSync(join(tmpdir(), 'algorhythm-overview-'));
  dirs.push(dir);
  const store = openTraceStore(join(dir, 'traces.db'), { retention: { maxAgeMs: 365 * 24 * HOUR, maxBytes: 1e9 }, pruneEveryMs: HOUR, clock: () => NOW });
  stores.push(store);
  return store;
}

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

let traces = 0;
interface TurnOptions {
  atMs: number;
  route: 'music_expert' | 'support_rep';
  /** Milliseconds the specialist ran. */
  agentMs: number;
  tool: { name: string; ms: number; error?: boolean };
  model?: string;
}

/** One turn as the host writes it: supervisor routes, the specialist calls a model and a tool. */
function turn({ atMs, route, agentMs, tool, model = 'gpt-4o-mini' }: TurnOptions): SpanRecord[] {
  const traceId = (++traces).toString(16).padStart(32, '0');
  const at = (ms: number) => BigInt(atMs + ms) * 1_000_000n;
  let n = 0;
  const span = (parent: string | undefined, name: string, startMs: number, ms: number, attributes: SpanRecord['attributes'], extra: Partial<SpanRecord> = {}): SpanRecord => ({
    traceId,
    spanId: (++n).toString(16).padStart(16, '0'),
    parentSpanId: parent,
    service: 'algorhythm-agent-host',
    name,
    kind: 0,
    startNs: at(startMs),
    endNs: at(startMs + ms),
    statusCode: 0,
    statusMessage: undefined,
    attributes,
    events: [],
    ...extra,
  });
  const id = (k: number) => k.toString(16).padStart(16, '0');
  const chat = (agent: string, tokensIn: number, cost: number) => ({
    [ATTR.genAiOperationName]: 'chat',
    [ATTR.genAiRequestModel]: model,
    [ATTR.genAiAgentName]: agent,
    [ATTR.genAiUsageInputTokens]: tokensIn,
    [ATTR.genAiUsageOutputTokens]: 10,
    [ATTR.algorhythmCostUsd]: cost,
  });
  return [
    span(undefined, 'POST /api/chat', 0, agentMs + 200, {}),
    span(id(1), spanName.invokeAgent('supervisor'), 1, agentMs + 150, { [ATTR.genAiOperationName]: 'invoke_agent', [ATTR.genAiAgentName]: 'supervisor', [ATTR.algorhythmRouteDecision]: route }),
    span(id(2), spanName.chat(model), 2, 50, chat('supervisor', 100, 0.001)),
    span(id(2), spanName.invokeAgent(route), 60, agentMs, { [ATTR.genAiOperationName]: 'invoke_agent', [ATTR.genAiAgentName]: route }),
    span(id(4), spanName.chat(model), 61, 40, chat(route, 200, 0.002)),
    span(id(4), spanName.executeTool(tool.name), 110, tool.ms, { [ATTR.genAiOperationName]: 'execute_tool', [ATTR.genAiAgentName]: route, [ATTR.genAiToolName]: tool.name }, { kind: 2, statusCode: tool.error ? 2 : 0 }),
    // The MCP server's own span of the same call: not a tool call of the agent's, so not counted twice.
    { ...span(id(6), `tools/call ${tool.name}`, 111, tool.ms - 2, { [ATTR.genAiToolName]: tool.name, [ATTR.mcpMethodName]: 'tools/call' }, { kind: 1 }), service: 'algorhythm-support-mcp' },
  ];
}

describe('trace overview', () => {
  it('answers an empty store with empty series over the whole window', async () => {
    const store = open();
    const overview = await store.overview(overviewRange('24h', NOW));
    expect(overview.buckets).toHaveLength(25);
    expect(overview.buckets[1]! - overview.buckets[0]!).toBe(HOUR);
    expect(overview.turns.every((t) => t === 0)).toBe(true);
    expect(overview).toMatchObject({ totals: { turns: 0, costUsd: 0, inputTokens: 0, outputTokens: 0 }, costByAgent: [], costByModel: [], agents: [], tools: [], routes: [] });
    expect(overview.tokens.input.every((t) => t === 0)).toBe(true);
  });

  it('sums cost and tokens by agent and model per bucket, splits routes, and leaves out what is outside the window', async () => {
    const store = open();
    const range = overviewRange('24h', NOW);
    const bucketOf = (ms: number) => Math.floor((ms - range.fromMs) / range.bucketMs);
    const early = NOW - 5 * HOUR;
    const late = NOW - 10 * 60_000;
    await store.write(turn({ atMs: early, route: 'music_expert', agentMs: 300, tool: { name: 'get_albums_by_artist', ms: 20 } }));
    await store.write(turn({ atMs: late, route: 'support_rep', agentMs: 900, tool: { name: 'get_invoices', ms: 40, error: true }, model: 'claude-haiku' }));
    await store.write(turn({ atMs: late + 1000, route: 'support_rep', agentMs: 700, tool: { name: 'get_invoices', ms: 30 } }));
    await store.write(turn({ atMs: NOW - 30 * HOUR, route: 'music_expert', agentMs: 5000, tool: { name: 'get_albums_by_artist', ms: 999 } }));
    // A turn an approval decision resumed: the specialist again, without the supervisor, so without a route.
    const resumed = turn({ atMs: late + 2000, route: 'support_rep', agentMs: 100, tool: { name: 'process_refund', ms: 10 } });
    await store.write(resumed.filter((s) => s.attributes[ATTR.genAiAgentName] !== 'supervisor'));

    const o = await store.overview(range);
    expect(o.totals).toEqual({ turns: 4, costUsd: 0.011, inputTokens: 1100, outputTokens: 70 });
    expect(o.turns[bucketOf(early)]).toBe(1);
    expect(o.turns[bucketOf(late)]).toBe(3);
    expect(o.routes).toEqual([{ route: 'support_rep', turns: 2 }, { route: 'music_expert', turns: 1 }]);

    const series = (list: typeof o.costByAgent, name: string) => list.find((s) => s.name === name)!.values;
    expect(o.costByAgent.map((s) => s.name)).toEqual(['support_rep', 'supervisor', 'music_expert']);
    expect(series(o.costByAgent, 'support_rep')[bucketOf(late)]).toBeCloseTo(0.006, 10);
    expect(series(o.costByAgent, 'supervisor')[bucketOf(early)]).toBeCloseTo(0.001, 10);
    expect(series(o.costByModel, 'claude-haiku')[bucketOf(late)]).toBeCloseTo(0.003, 10);
    expect(series(o.costByModel, 'gpt-4o-mini')[bucketOf(late)]).toBeCloseTo(0.005, 10);
    expect(o.tokens.input[bucketOf(early)]).toBe(300);
    expect(o.tokens.output[bucketOf(late)]).toBe(50);
  });

  it('gives latency percentiles per agent (per bucket too) and per tool, and each tool’s error rate', async () => {
    const store = open();
    const range = overviewRange('1h', NOW);
    const at = NOW - 20 * 60_000;
    for (let i = 0; i < 20; i++) {
      await store.write(turn({ atMs: at + i * 1000, route: 'support_rep', agentMs: (i + 1) * 10, tool: { name: 'get_invoices', ms: i + 1, error: i < 5 } }));
    }
    const o = await store.overview(range);
    const rep = o.agents.find((a) => a.name === 'support_rep')!;
    expect(rep.latency).toEqual({ count: 20, p50Ms: 100, p95Ms: 190, p99Ms: 200 });
    const bucket = Math.floor((at - range.fromMs) / range.bucketMs);
    expect(rep.p95Ms[bucket]).toBe(190);
    expect(rep.p50Ms.filter((v) => v !== null)).toHaveLength(1);
    expect(o.agents.find((a) => a.name === 'supervisor')!.latency.count).toBe(20);
    expect(o.tools).toEqual([{ name: 'get_invoices', calls: 20, errors: 5, errorRate: 0.25, latency: { count: 20, p50Ms: 10, p95Ms: 19, p99Ms: 20 } }]);
  });
});
