// What every TraceStore must do, whatever it stores in: run by each implementation's test file against a real database.
import { ATTR, spanName } from '@algorhythm/telemetry';
import { describe, expect, it } from 'vitest';
import type { TraceSummary } from './list-traces.ts';
import { overviewRange } from './overview-window.ts';
import type { SpanRecord } from './span-record.ts';
import type { TraceStore, TraceStoreOptions } from './trace-store.ts';

const DAY = 86_400_000;

/** An empty database: `open` gives a store on it (again: another replica on the same data). */
export interface TraceDatabase {
  open(options: TraceStoreOptions): Promise<TraceStore>;
  drop(): Promise<void> | void;
}

let counter = 0;
const nextTraceId = () => (++counter).toString(16).padStart(32, '0');
const spanIdOf = (n: number) => n.toString(16).padStart(16, '0');

interface SpanSpec {
  parent?: number;
  name: string;
  /** From the trace's start. */
  startMs?: number;
  ms?: number;
  attributes?: SpanRecord['attributes'];
  error?: boolean;
  service?: string;
}

/** A trace starting `atMs` since the epoch; span n (from 1) is `specs[n - 1]`, its parent given by number. */
function trace(atMs: number, specs: SpanSpec[], traceId = nextTraceId()): SpanRecord[] {
  const at = (ms: number) => BigInt(atMs) * 1_000_000n + BigInt(Math.round(ms * 1000)) * 1000n;
  return specs.map((spec, i) => ({
    traceId,
    spanId: spanIdOf(i + 1),
    parentSpanId: spec.parent === undefined ? undefined : spanIdOf(spec.parent),
    service: spec.service ?? 'algorhythm-agent-host',
    name: spec.name,
    kind: 0,
    startNs: at(spec.startMs ?? i),
    endNs: at((spec.startMs ?? i) + (spec.ms ?? 50 - i)),
    statusCode: spec.error ? 2 : 0,
    statusMessage: spec.error ? 'failed' : undefined,
    attributes: spec.attributes ?? {},
    events: [],
  }));
}

const chat = (agent: string, model: string, input: number, cost: number): SpanSpec => ({
  parent: 1,
  name: spanName.chat(model),
  attributes: {
    [ATTR.genAiOperationName]: 'chat',
    [ATTR.genAiRequestModel]: model,
    [ATTR.genAiAgentName]: agent,
    [ATTR.genAiUsageInputTokens]: input,
    [ATTR.genAiUsageOutputTokens]: 5,
    [ATTR.algorhythmCostUsd]: cost,
  },
});

/** A small turn: root and chat spans (the `padding` attribute makes it bigger). */
function turn(atMs: number, padding = 0): SpanRecord[] {
  const spans = trace(atMs, [{ name: 'POST /api/chat', startMs: 0, ms: 50 }, { ...chat('supervisor', 'offline', 10, 0), startMs: 1, ms: 49 }]);
  return spans.map((span) => ({ ...span, attributes: { ...span.attributes, padding: 'x'.repeat(padding) } }));
}

/** A turn with a conversation, a route, a specialist and a tool, as the host and an MCP server write it. */
function fullTurn(atMs: number, options: { conversationId: string; route: string; tool: string; model: string; toolError?: boolean }): SpanRecord[] {
  const conversation = { [ATTR.genAiConversationId]: options.conversationId };
  return trace(atMs, [
    { name: 'POST /api/chat', startMs: 0, ms: 500, attributes: conversation },
    {
      parent: 1,
      name: spanName.invokeAgent('supervisor'),
      attributes: { ...conversation, [ATTR.genAiOperationName]: 'invoke_agent', [ATTR.genAiAgentName]: 'supervisor', [ATTR.algorhythmRouteDecision]: options.route },
    },
    { ...chat('supervisor', options.model, 100, 0.001), parent: 2 },
    { parent: 2, name: spanName.invokeAgent(options.route), ms: 300, attributes: { [ATTR.genAiOperationName]: 'invoke_agent', [ATTR.genAiAgentName]: options.route } },
    { ...chat(options.route, options.model, 200, 0.0025), parent: 4 },
    {
      parent: 4,
      name: spanName.executeTool(options.tool),
      ms: 40,
      error: options.toolError ?? false,
      attributes: { [ATTR.genAiOperationName]: 'execute_tool', [ATTR.genAiAgentName]: options.route, [ATTR.genAiToolName]: options.tool },
    },
    { parent: 6, name: `tools/call ${options.tool}`, ms: 38, service: 'algorhythm-support-mcp', attributes: { [ATTR.genAiToolName]: options.tool } },
  ]);
}

/** A summary with its sets sorted: two writers may add a trace's members in another order. */
const normalized = (t: TraceSummary) => ({ ...t, agents: [...t.agents].sort(), models: [...t.models].sort(), tools: [...t.tools].sort(), services: [...t.services].sort() });

async function listAll(store: TraceStore, filter: { limit: number; turnsOnly?: boolean } = { limit: 2 }): Promise<TraceSummary[]> {
  const all: TraceSummary[] = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<TraceStore['list']>> = await store.list({ ...filter, ...(cursor ? { cursor } : {}) });
    all.push(...page.traces);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

/** Registers the contract's tests; `create` gives an empty database each time it is called. */
export function traceStoreContract(name: string, create: () => Promise<TraceDatabase>) {
  describe(`TraceStore contract: ${name}`, () => {
    const forever = { maxAgeMs: 365 * DAY, maxBytes: 1e9 };
    const withDatabases = (count: number, test: (...opens: Array<(options?: Partial<TraceStoreOptions>) => Promise<TraceStore>>) => Promise<void>) => async () => {
      const databases = await Promise.all(Array.from({ length: count }, create));
      const stores: TraceStore[] = [];
      try {
        await test(
          ...databases.map((database) => async (options: Partial<TraceStoreOptions> = {}) => {
            const store = await database.open({ retention: forever, pruneEveryMs: 3_600_000, ...options });
            stores.push(store);
            return store;
          }),
        );
      } finally {
        for (const store of stores) await store.close();
        for (const database of databases) await database.drop();
      }
    };

    it('lists a turn once its root arrived, so a page cursor never shows a trace twice', withDatabases(1, async (open) => {
      const store = await open();
      const older = turn(Date.now() - 2000);
      const newer = turn(Date.now() - 1000);
      await store.write(older);
      // The root span ends last and is exported last, yet it starts first: the trace's start time moves when it comes.
      await store.write(newer.slice(1));
      const first = await store.list({ limit: 1, turnsOnly: true });
      await store.write(newer.slice(0, 1));
      const second = await store.list({ limit: 1, turnsOnly: true, ...(first.nextCursor ? { cursor: first.nextCursor } : {}) });
      const seen = [...first.traces, ...(first.nextCursor ? second.traces : [])].map((t) => t.traceId);
      expect(new Set(seen).size).toBe(seen.length);
      expect((await store.list({ limit: 10, turnsOnly: true })).traces.map((t) => t.traceId)).toEqual([newer[0]!.traceId, older[0]!.traceId]);
    }));

    it('keeps a span once however often it is sent, and sums a trace from its chat spans', withDatabases(1, async (open) => {
      const store = await open();
      const spans = turn(Date.now());
      expect(await store.write(spans)).toBe(2);
      expect(await store.write(spans)).toBe(0);
      const [row] = (await store.list({ limit: 10 })).traces;
      expect(row).toMatchObject({ spanCount: 2, inputTokens: 10, outputTokens: 5, agents: ['supervisor'], models: ['offline'], rootName: 'POST /api/chat' });
      expect(row!.durationMs).toBe(50);
      expect(await store.get(row!.traceId)).toHaveLength(2);
    }));

    it('skips spans with malformed ids and a span repeated within one write', withDatabases(1, async (open) => {
      const store = await open();
      const [root, child] = turn(Date.now());
      expect(await store.write([root!, root!, { ...child!, traceId: 'not-hex' }, { ...child!, spanId: '42' }])).toBe(1);
      expect((await store.list({ limit: 10 })).traces).toMatchObject([{ traceId: root!.traceId, spanCount: 1 }]);
    }));

    it('summarizes a whole turn: root, conversation, route, sets in order of arrival, sums and errors', withDatabases(1, async (open) => {
      const store = await open();
      const spans = fullTurn(Date.UTC(2026, 0, 2, 3, 4, 5, 678), { conversationId: 'c-1', route: 'support_rep', tool: 'get_invoices', model: 'gpt-4o-mini', toolError: true });
      // Children first (as exporters send them), the root last.
      await store.write(spans.slice(4));
      await store.write(spans.slice(1, 4));
      await store.write(spans.slice(0, 1));
      expect((await store.list({ limit: 10 })).traces).toEqual([{
        traceId: spans[0]!.traceId,
        startTime: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
        durationMs: 500,
        rootName: 'POST /api/chat',
        conversationId: 'c-1',
        route: 'support_rep',
        agents: ['support_rep', 'supervisor'],
        models: ['gpt-4o-mini'],
        tools: ['get_invoices'],
        services: ['algorhythm-agent-host', 'algorhythm-support-mcp'],
        inputTokens: 300,
        outputTokens: 10,
        costUsd: 0.0035,
        errorCount: 1,
        spanCount: 7,
      }]);
    }));

    it('filters by agent, model, tool, errors and conversation, and pages newest first through ties on start time', withDatabases(1, async (open) => {
      const store = await open();
      const at = Date.now() - 60_000;
      const a = fullTurn(at, { conversationId: 'c-a', route: 'music_expert', tool: 'get_albums_by_artist', model: 'gpt-4o-mini' });
      const b = fullTurn(at + 1000, { conversationId: 'c-b', route: 'support_rep', tool: 'get_invoices', model: 'claude-haiku', toolError: true });
      // Three traces starting in the same nanosecond: the trace id orders them.
      const same = [0, 1, 2].map(() => fullTurn(at + 2000, { conversationId: 'c-b', route: 'support_rep', tool: 'get_invoices', model: 'gpt-4o-mini' }));
      const bare = trace(at + 3000, [{ name: 'GET /healthz' }]);
      for (const spans of [a, b, ...same, bare]) await store.write(spans);
      const ids = async (filter: Parameters<TraceStore['list']>[0]) => (await store.list(filter)).traces.map((t) => t.traceId);
      const idOf = (spans: SpanRecord[]) => spans[0]!.traceId;
      const newestFirst = [bare, ...[...same].reverse(), b, a].map(idOf);

      expect((await listAll(store, { limit: 2 })).map((t) => t.traceId)).toEqual(newestFirst);
      expect((await listAll(store, { limit: 1, turnsOnly: true })).map((t) => t.traceId)).toEqual(newestFirst.slice(1));
      expect(await ids({ limit: 10, agent: 'music_expert' })).toEqual([idOf(a)]);
      expect(await ids({ limit: 10, agent: 'music' })).toEqual([]);
      expect(await ids({ limit: 10, model: 'claude-haiku' })).toEqual([idOf(b)]);
      expect(await ids({ limit: 10, tool: 'get_invoices', conversationId: 'c-b' })).toEqual(newestFirst.slice(1, 5));
      expect(await ids({ limit: 10, errorsOnly: true })).toEqual([idOf(b)]);
      expect(await ids({ limit: 10, conversationId: 'c-a' })).toEqual([idOf(a)]);
      // A cursor that is not one of ours is ignored: the first page.
      expect(await ids({ limit: 2, cursor: 'bm9wZQ' })).toEqual(newestFirst.slice(0, 2));
    }));

    it('gives a trace its spans by start time, with attributes, events and nanoseconds as sent', withDatabases(1, async (open) => {
      const store = await open();
      // Nanoseconds past 2^53, which a double would round.
      const [root, child] = trace(1_767_225_600_123, [{ name: 'POST /api/chat', startMs: 0, ms: 10 }, { parent: 1, name: 'child', startMs: 0.5, ms: 1.5, error: true }]);
      const exact = { ...root!, startNs: root!.startNs + 456_789n, endNs: root!.endNs + 456_789n };
      const attributes = { text: 'ünïcode "quoted" \\ \u0000', n: 1.25, flag: true, list: ['a', 'b'], nums: [1, 2] };
      const events = [{ name: 'retry', timeNs: '1767225600123456789', attributes: { attempt: 2 } }];
      await store.write([{ ...child!, attributes, events }, exact]);
      expect(await store.get(root!.traceId)).toEqual([
        {
          traceId: root!.traceId,
          spanId: root!.spanId,
          parentSpanId: null,
          service: 'algorhythm-agent-host',
          name: 'POST /api/chat',
          kind: 0,
          startTime: 1_767_225_600_123.456,
          startTimeUnixNano: '1767225600123456789',
          durationMs: 10,
          status: { code: 0, message: null },
          attributes: {},
          events: [],
        },
        expect.objectContaining({ spanId: child!.spanId, parentSpanId: root!.spanId, durationMs: 1.5, status: { code: 2, message: 'failed' }, attributes, events }),
      ]);
      expect(await store.get('f'.repeat(32))).toEqual([]);
    }));

    it('folds halves of the same traces written by two replicas at once into the summaries one writer makes', withDatabases(2, async (openOne, openShared) => {
      const at = Date.now() - 60_000;
      const traces = Array.from({ length: 12 }, (_, i) =>
        fullTurn(at + i * 10, { conversationId: `c-${i % 3}`, route: i % 2 ? 'support_rep' : 'music_expert', tool: `tool_${i % 4}`, model: i % 3 ? 'gpt-4o-mini' : 'claude-haiku', toolError: i % 5 === 0 }),
      );
      const one = await openOne();
      for (const spans of traces) await one.write(spans);

      const [a, b] = [await openShared(), await openShared()];
      // Each replica gets every other span of every trace, in small batches, and a few spans both get (a retried export).
      const batches = (replica: 0 | 1) => {
        const mine = traces.flatMap((spans) => spans.filter((_, i) => i % 2 === replica || i === 3));
        return Array.from({ length: Math.ceil(mine.length / 5) }, (_, k) => mine.slice(k * 5, k * 5 + 5));
      };
      const written = await Promise.all([a, b].map(async (store, replica) => {
        let count = 0;
        for (const batch of batches(replica as 0 | 1)) count += await store.write(batch);
        return count;
      }));
      expect(written[0]! + written[1]!).toBe(traces.flat().length);

      const expected = (await listAll(one, { limit: 5 })).map(normalized);
      expect(expected).toHaveLength(12);
      expect((await listAll(a, { limit: 5 })).map(normalized)).toEqual(expected);
      expect((await listAll(b, { limit: 7 })).map(normalized)).toEqual(expected);
      const bySpanId = (spans: Awaited<ReturnType<TraceStore['get']>>) => [...spans].sort((x, y) => x.spanId.localeCompare(y.spanId));
      expect(bySpanId(await b.get(traces[5]![0]!.traceId))).toEqual(bySpanId(await one.get(traces[5]![0]!.traceId)));
    }));

    it('deletes traces older than the age limit, whole, and keeps the rest', withDatabases(1, async (open) => {
      let now = Date.now();
      const store = await open({ retention: { maxAgeMs: 7 * DAY, maxBytes: 1e9 }, clock: () => now });
      const old = turn(now - 8 * DAY);
      const recent = turn(now - 1 * DAY);
      await store.write([...old, ...recent]);
      await store.prune();
      expect((await store.list({ limit: 10 })).traces.map((t) => t.traceId)).toEqual([recent[0]!.traceId]);
      expect(await store.get(old[0]!.traceId)).toEqual([]);
      now += 7 * DAY;
      await store.prune();
      expect((await store.list({ limit: 10 })).traces).toEqual([]);
    }));

    it('deletes the oldest traces while over the size limit, in batches', withDatabases(1, async (open) => {
      const store = await open({ retention: { maxAgeMs: 365 * DAY, maxBytes: 400 * 1024 } });
      const start = Date.now() - 3_600_000;
      const turns = Array.from({ length: 300 }, (_, i) => turn(start + i * 1000, 500));
      for (const spans of turns) await store.write(spans);
      expect(await store.usedBytes()).toBeGreaterThan(400 * 1024);
      await store.prune();
      expect(await store.usedBytes()).toBeLessThanOrEqual(400 * 1024);
      const kept = (await store.list({ limit: 200 })).traces.map((t) => t.traceId);
      expect(kept.length).toBeGreaterThan(0);
      // The newest survive.
      expect(kept[0]).toBe(turns.at(-1)![0]!.traceId);
    }));

    it('enforces both limits when two replicas prune at once, deleting only what is due', withDatabases(1, async (open) => {
      const now = Date.now();
      const retention = { maxAgeMs: 7 * DAY, maxBytes: 300 * 1024 };
      const [a, b] = [await open({ retention, clock: () => now }), await open({ retention, clock: () => now })];
      const expired = Array.from({ length: 30 }, (_, i) => turn(now - 9 * DAY + i * 1000));
      const recent = Array.from({ length: 300 }, (_, i) => turn(now - DAY + i * 1000, 500));
      for (const [i, spans] of [...expired, ...recent].entries()) await (i % 2 ? a : b).write(spans);
      await Promise.all([a.prune(), b.prune(), a.prune()]);
      expect(await b.usedBytes()).toBeLessThanOrEqual(300 * 1024);
      const kept = await listAll(a, { limit: 100 });
      expect(kept.length).toBeGreaterThan(0);
      expect(kept.every((t) => t.startTime >= now - DAY)).toBe(true);
      // What is left is the newest, without gaps.
      expect(kept.map((t) => t.traceId)).toEqual(recent.slice(-kept.length).reverse().map((spans) => spans[0]!.traceId));
    }));

    it('answers the overview: cost, tokens, turns by route, agent latency and tool calls over a range', withDatabases(1, async (open) => {
      const now = Date.now();
      const store = await open({ clock: () => now });
      const range = overviewRange('24h', now);
      await store.write(fullTurn(now - 3_600_000, { conversationId: 'c', route: 'support_rep', tool: 'get_invoices', model: 'gpt-4o-mini', toolError: true }));
      await store.write(fullTurn(now - 60_000, { conversationId: 'c', route: 'music_expert', tool: 'get_albums_by_artist', model: 'claude-haiku' }));
      await store.write(fullTurn(now - 2 * DAY, { conversationId: 'c', route: 'music_expert', tool: 'get_albums_by_artist', model: 'claude-haiku' }));
      const o = await store.overview(range);
      expect(o.totals).toEqual({ turns: 2, costUsd: 0.007, inputTokens: 600, outputTokens: 20 });
      // Routes with as many turns come in no particular order.
      expect([...o.routes].sort((x, y) => String(x.route).localeCompare(String(y.route)))).toEqual([{ route: 'music_expert', turns: 1 }, { route: 'support_rep', turns: 1 }]);
      expect(o.costByModel.map((s) => s.name).sort()).toEqual(['claude-haiku', 'gpt-4o-mini']);
      expect(o.agents.map((agent) => [agent.name, agent.latency.count])).toEqual([['music_expert', 1], ['supervisor', 2], ['support_rep', 1]]);
      expect(o.tools).toEqual([
        { name: 'get_albums_by_artist', calls: 1, errors: 0, errorRate: 0, latency: { count: 1, p50Ms: 40, p95Ms: 40, p99Ms: 40 } },
        { name: 'get_invoices', calls: 1, errors: 1, errorRate: 1, latency: { count: 1, p50Ms: 40, p95Ms: 40, p99Ms: 40 } },
      ]);
    }));
  });
}
