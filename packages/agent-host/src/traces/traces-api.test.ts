import { ATTR, SERVICE } from '@algorhythm/telemetry';
import { startTelemetry, type Telemetry } from '@algorhythm/telemetry/setup';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '@algorhythm/telemetry/testing/otlp-receiver';
import type { OverviewResponse, TraceDetailResponse, TraceListResponse } from '@algorhythm/web/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostTelemetryOf } from '../telemetry/host-telemetry.ts';
import type { RunningHost } from '../compose.ts';
import { ADMIN_TOKEN, makeDataDir, startTestHost, TestClient } from '../testing/host-harness.ts';
import { createSpanSink } from './span-sink.ts';

/**
 * The span store through HTTP on the real host, its MCP servers as real child processes. A second
 * OTLP receiver (OTEL_EXPORTER_OTLP_ENDPOINT, as Grafana would be) gets the host's spans from its
 * exporter and the children's through the host's relay: what the API says must equal what it got.
 */

let receiver: OtlpReceiver;
let telemetry: Telemetry;
let host: RunningHost;
let data: { dir: string; remove: () => void };
const saved: Record<string, string | undefined> = {};
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

async function api<T>(path: string, headers: Record<string, string> = auth): Promise<{ status: number; body: T }> {
  const response = await fetch(`${host.url}${path}`, { headers });
  return { status: response.status, body: (await response.json()) as T };
}

async function until<T>(read: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '50' };
  for (const [key, value] of Object.entries(env)) {
    saved[key] = process.env[key];
    process.env[key] = value;
  }
  const sink = createSpanSink({ delayMs: 20 });
  telemetry = await startTelemetry({ serviceName: SERVICE.agentHost, env: process.env, localSpanProcessors: [sink.processor] });
  data = makeDataDir();
  host = await startTestHost(data.dir, env, {
    spanSink: sink,
    telemetry: hostTelemetryOf(telemetry, false),
  });
});

afterAll(async () => {
  await host?.close();
  await telemetry?.shutdown();
  await receiver?.close();
  data?.remove();
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

describe('a chat turn in the span store', () => {
  it('is listed and its spans, from the host and the catalog server, equal what the OTLP receiver got', async () => {
    const client = new TestClient(host.url);
    await client.login(1);
    const { done } = await client.chat('Show me albums by AC/DC');
    const conversationId = String(done.conversationId);

    const row = await until(async () => {
      const { body } = await api<TraceListResponse>(`/api/admin/traces?conversationId=${conversationId}`);
      const found = body.traces.find((t) => t.rootName === 'POST /api/chat');
      return found?.services.includes(SERVICE.catalogMcp) && found.tools.length > 0 ? found : undefined;
    }, 'the turn in the trace list');
    const expected = await receiver.waitFor((spans) => {
      const mine = spans.filter((s) => s.traceId === row.traceId);
      return mine.some((s) => s.name === 'SELECT Album') && mine.some((s) => s.name === 'POST /api/chat');
    });
    // Both sides have every span once the last export landed.
    const { body: detail } = await until(async () => {
      const got = await api<TraceDetailResponse>(`/api/admin/traces/${row.traceId}`);
      const want = receiver.spans.filter((s) => s.traceId === row.traceId).length;
      return got.body.spans.length === want ? got : undefined;
    }, 'the same span count as the receiver');
    const sent = expected.filter((s) => s.traceId === row.traceId);

    expect(new Set(detail.spans.map((s) => s.service))).toEqual(new Set([SERVICE.agentHost, SERVICE.catalogMcp]));
    const byId = new Map<string, ReceivedSpan>(sent.map((s) => [s.spanId, s]));
    expect(new Set(detail.spans.map((s) => s.spanId))).toEqual(new Set(byId.keys()));
    for (const span of detail.spans) {
      const original = byId.get(span.spanId)!;
      expect({ name: span.name, service: span.service, parent: span.parentSpanId ?? undefined, kind: span.kind, status: span.status.code }).toEqual({
        name: original.name,
        service: original.serviceName,
        parent: original.parentSpanId,
        kind: original.kind,
        status: original.status.code,
      });
      expect(span.attributes).toEqual(original.attributes);
      expect(span.startTimeUnixNano).toBe(original.startTimeUnixNano);
      expect(span.durationMs).toBeCloseTo(original.durationMs, 3);
    }

    // The list row is the sums of the same spans.
    const chats = sent.filter((s) => s.attributes[ATTR.genAiOperationName] === 'chat');
    const sum = (key: string) => chats.reduce((total, s) => total + Number(s.attributes[key] ?? 0), 0);
    const root = sent.find((s) => s.parentSpanId === undefined)!;
    expect(row).toMatchObject({
      conversationId,
      customer: { id: 1 },
      route: 'music_expert',
      inputTokens: sum(ATTR.genAiUsageInputTokens),
      outputTokens: sum(ATTR.genAiUsageOutputTokens),
      errorCount: 0,
      spanCount: sent.length,
    });
    expect(row.costUsd).toBeCloseTo(sum(ATTR.algorhythmCostUsd), 9);
    expect(row.durationMs).toBeCloseTo(root.durationMs, 3);
    expect(row.agents).toEqual(expect.arrayContaining(['supervisor', 'music_expert']));
    expect(row.tools).toContain('get_albums_by_artist');
  });

  it('filters and pages the list, and shows an empty list for a filter that matches nothing', async () => {
    const client = new TestClient(host.url);
    await client.login(2);
    await client.chat('Show me albums by Queen');
    await until(async () => {
      const { body } = await api<TraceListResponse>('/api/admin/traces?agent=music_expert');
      return body.traces.length >= 2 ? true : undefined;
    }, 'two music turns');
    const first = await api<TraceListResponse>('/api/admin/traces?agent=music_expert&limit=1');
    expect(first.body.traces).toHaveLength(1);
    expect(first.body.nextCursor).toBeTruthy();
    const second = await api<TraceListResponse>(`/api/admin/traces?agent=music_expert&limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.traces).toHaveLength(1);
    expect(second.body.traces[0]!.startTime).toBeLessThanOrEqual(first.body.traces[0]!.startTime);
    expect(second.body.traces[0]!.traceId).not.toBe(first.body.traces[0]!.traceId);

    expect((await api<TraceListResponse>('/api/admin/traces?tool=no_such_tool')).body).toEqual({ traces: [], nextCursor: null });
    // Turns by default; every traced request (the sign-ins too) with all=true.
    const turns = (await api<TraceListResponse>('/api/admin/traces?limit=200')).body.traces;
    expect(turns.every((t) => t.agents.length > 0)).toBe(true);
    const everything = (await api<TraceListResponse>('/api/admin/traces?limit=200&all=true')).body.traces;
    expect(everything.some((t) => t.rootName === 'POST /api/login')).toBe(true);
    expect((await api<TraceListResponse>('/api/admin/traces?errors=true')).body.traces).toEqual([]);
    expect((await api('/api/admin/traces?limit=lots')).status).toBe(400);
    expect((await api(`/api/admin/traces/${'0'.repeat(32)}`)).status).toBe(404);
    expect((await api('/api/admin/traces/not-a-trace')).status).toBe(400);
  });
});

describe('the overview', () => {
  it('counts a music turn: its agents, model, tokens, route and tool', async () => {
    const client = new TestClient(host.url);
    await client.login(3);
    await client.chat('Show me albums by Metallica');
    const { body } = await until(async () => {
      const got = await api<OverviewResponse>('/api/admin/overview?window=1h');
      const music = got.body.traces.agents.find((a) => a.name === 'music_expert');
      return music && got.body.traces.tools.some((t) => t.name === 'get_albums_by_artist') ? got : undefined;
    }, 'the turn in the overview');
    const o = body.traces;
    expect(body.window).toBe('1h');
    expect(o.totals.turns).toBeGreaterThan(0);
    expect(o.totals.inputTokens).toBeGreaterThan(0);
    expect(o.routes).toContainEqual({ route: 'music_expert', turns: expect.any(Number) });
    expect(o.costByAgent.map((s) => s.name)).toEqual(expect.arrayContaining(['supervisor', 'music_expert']));
    expect(o.costByModel.length).toBeGreaterThan(0);
    expect(o.agents.find((a) => a.name === 'supervisor')!.latency.p50Ms).toBeGreaterThan(0);
    expect(o.tokens.input).toHaveLength(o.buckets.length);
    expect(body.approvals).toEqual({ waiting: 0, decided: 0, timeToDecision: { p50Seconds: null, p95Seconds: null } });
    // The default window is a day.
    expect((await api<OverviewResponse>('/api/admin/overview')).body.window).toBe('24h');
  });

  it('is for the admin only, and says which windows there are', async () => {
    expect((await api('/api/admin/overview', {})).status).toBe(401);
    const customer = new TestClient(host.url);
    await customer.login(1);
    expect((await customer.request('/api/admin/overview')).status).toBe(401);
    const bad = await api<{ error: string }>('/api/admin/overview?window=2w');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('Unknown window "2w": use one of 1h, 24h, 7d, 30d.');
  });
});

describe('who may read and write spans', () => {
  const otlpJson = (traceId: string) =>
    JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: SERVICE.supportMcp } }] },
          scopeSpans: [
            {
              scope: { name: 'test' },
              spans: [
                {
                  traceId,
                  spanId: '1'.repeat(16),
                  name: 'tools/call get_invoices',
                  kind: 2,
                  startTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
                  endTimeUnixNano: String(BigInt(Date.now() + 5) * 1_000_000n),
                  attributes: [{ key: 'gen_ai.tool.name', value: { stringValue: 'get_invoices' } }],
                  status: { code: 2, message: 'boom' },
                },
              ],
            },
          ],
        },
      ],
    });
  const post = (body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string>) =>
    fetch(`${host.url}/v1/traces`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

  it('/v1/traces refuses callers without the host’s token, and stores nothing', async () => {
    const traceId = 'a'.repeat(32);
    expect((await post(otlpJson(traceId), {})).status).toBe(401);
    expect((await post(otlpJson(traceId), { authorization: 'Bearer not-the-token' })).status).toBe(401);
    expect((await post(otlpJson(traceId), auth)).status).toBe(401);
    expect((await api(`/api/admin/traces/${traceId}`)).status).toBe(404);
  });

  it('/v1/traces takes OTLP/JSON with the token, and answers malformed or oversized bodies with 400/413', async () => {
    const token = { authorization: `Bearer ${host.traces!.ingestToken}` };
    const traceId = 'b'.repeat(32);
    const ok = await post(otlpJson(traceId), token);
    expect(ok.status).toBe(200);
    const { body } = await api<TraceDetailResponse>(`/api/admin/traces/${traceId}`);
    expect(body.spans).toMatchObject([{ service: SERVICE.supportMcp, name: 'tools/call get_invoices', status: { code: 2, message: 'boom' } }]);
    const errors = await api<TraceListResponse>('/api/admin/traces?errors=true&tool=get_invoices&all=true');
    expect(errors.body.traces.map((t) => t.traceId)).toEqual([traceId]);

    expect((await post('{"resourceSpans": [', token)).status).toBe(400);
    expect((await post(new Uint8Array([0x0a, 0xff, 0xff]), { ...token, 'content-type': 'application/x-protobuf' })).status).toBe(400);
    expect((await post('x'.repeat(5 * 1024 * 1024), token)).status).toBe(413);
  });

  it('the trace API is for the admin only', async () => {
    expect((await api('/api/admin/traces', {})).status).toBe(401);
    expect((await api(`/api/admin/traces/${'b'.repeat(32)}`, {})).status).toBe(401);
    const customer = new TestClient(host.url);
    await customer.login(1);
    expect((await customer.request('/api/admin/traces')).status).toBe(401);
    expect((await api('/api/admin/traces', { authorization: `Bearer ${host.traces!.ingestToken}` })).status).toBe(401);
  });
});
