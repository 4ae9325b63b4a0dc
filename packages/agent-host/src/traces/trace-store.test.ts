import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SpanRecord } from './span-record.ts';
import { openTraceStore, type TraceStore } from './trace-store.ts';

const DAY = 86_400_000;
const dirs: string[] = [];
const stores: TraceStore[] = [];

function open(retention: { maxAgeMs: number; maxBytes: number }, now: () => number): TraceStore {
  const dir = mkdtempSync(join(tmpdir(), 'algorhythm-traces-'));
  dirs.push(dir);
  const store = openTraceStore(join(dir, 'traces.db'), { retention, pruneEveryMs: 3_600_000, clock: now });
  stores.push(store);
  return store;
}

let counter = 0;
/** A small turn: root, chat and tool spans with attributes, `atMs` since the epoch. */
function turn(atMs: number, padding = 0): SpanRecord[] {
  const traceId = (++counter).toString(16).padStart(32, '0');
  const start = BigInt(atMs) * 1_000_000n;
  const span = (n: number, parent: string | undefined, name: string, attributes: SpanRecord['attributes']): SpanRecord => ({
    traceId,
    spanId: n.toString(16).padStart(16, '0'),
    parentSpanId: parent,
    service: 'algorhythm-agent-host',
    name,
    kind: 0,
    startNs: start + BigInt(n - 1) * 1_000_000n,
    endNs: start + 50_000_000n,
    statusCode: 0,
    statusMessage: undefined,
    attributes: { ...attributes, padding: 'x'.repeat(padding) },
    events: [],
  });
  return [
    span(1, undefined, 'POST /api/chat', {}),
    span(2, '0000000000000001', 'chat offline', {
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'offline',
      'gen_ai.usage.input_tokens': 10,
      'gen_ai.usage.output_tokens': 5,
      'gen_ai.agent.name': 'supervisor',
    }),
  ];
}

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('trace store', () => {
  it('lists a turn once its root arrived, so a page cursor never shows a trace twice', async () => {
    const store = open({ maxAgeMs: 7 * DAY, maxBytes: 1e9 }, Date.now);
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
  });

  it('keeps a span once however often it is sent, and sums a trace from its chat spans', async () => {
    const store = open({ maxAgeMs: 7 * DAY, maxBytes: 1e9 }, Date.now);
    const spans = turn(Date.now());
    expect(await store.write(spans)).toBe(2);
    expect(await store.write(spans)).toBe(0);
    const [row] = (await store.list({ limit: 10 })).traces;
    expect(row).toMatchObject({ spanCount: 2, inputTokens: 10, outputTokens: 5, agents: ['supervisor'], models: ['offline'], rootName: 'POST /api/chat' });
    expect(row!.durationMs).toBe(50);
    expect(await store.get(row!.traceId)).toHaveLength(2);
  });

  it('deletes traces older than the age limit, whole, and keeps the rest', async () => {
    let now = Date.now();
    const store = open({ maxAgeMs: 7 * DAY, maxBytes: 1e9 }, () => now);
    const old = turn(now - 8 * DAY);
    const recent = turn(now - 1 * DAY);
    await store.write([...old, ...recent]);
    await store.prune();
    expect((await store.list({ limit: 10 })).traces.map((t) => t.traceId)).toEqual([recent[0]!.traceId]);
    expect(await store.get(old[0]!.traceId)).toEqual([]);
    now += 7 * DAY;
    await store.prune();
    expect((await store.list({ limit: 10 })).traces).toEqual([]);
  });

  it('deletes the oldest traces while over the size limit, in batches', async () => {
    const store = open({ maxAgeMs: 365 * DAY, maxBytes: 400 * 1024 }, Date.now);
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
  });
});
