import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { ATTR, SERVICE, withSpan } from '@algorhythm/telemetry';
import type { Telemetry } from '@algorhythm/telemetry/setup';
import type { OtlpReceiver } from '@algorhythm/telemetry/testing/otlp-receiver';
import { startTestTelemetry, type TestTelemetry } from '@algorhythm/telemetry/testing/test-telemetry';
import { formatSpanTree } from '@algorhythm/telemetry/testing/span-tree';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { httpServerSpan } from './http-server-span.ts';

let testTelemetry: TestTelemetry;
let receiver: OtlpReceiver;
let telemetry: Telemetry;
let app: Hono;

beforeAll(async () => {
  testTelemetry = await startTestTelemetry(SERVICE.agentHost);
  ({ receiver, telemetry } = testTelemetry);
  const { tracer } = telemetry;
  app = new Hono();
  app.use(httpServerSpan({ tracer, include: (path) => path.startsWith('/api/') }));
  app.onError((_error, c) => c.json({ error: 'boom' }, 500));
  app.get('/api/conversations/:id', (c) => c.json({ id: c.req.param('id') }));
  app.get('/api/missing', (c) => c.json({ error: 'Not found.' }, 404));
  app.get('/api/broken', () => {
    throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
  });
  app.post('/api/chat', (c) =>
    streamSSE(c, async (stream) => {
      await stream.writeSSE({ event: 'delta', data: 'hi' });
      await withSpan(tracer, 'invoke_agent supervisor', {}, async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        await stream.writeSSE({ event: 'done', data: '{}' });
      });
    }),
  );
  app.get('/index.html', (c) => c.text('static'));
});
afterAll(() => testTelemetry.close());
beforeEach(() => receiver.clear());

async function spansAfter(names: string[]) {
  await telemetry.forceFlush();
  return receiver.waitFor((spans) => names.every((name) => spans.some((s) => s.name === name)));
}

describe('httpServerSpan', () => {
  it('names the span after the route template, with method, path and status', async () => {
    expect((await app.request('/api/conversations/abc')).status).toBe(200);
    const [span] = await spansAfter(['GET /api/conversations/:id']);
    expect(span!.kind).toBe(SpanKind.SERVER);
    expect(span!.attributes).toEqual({
      [ATTR.httpRequestMethod]: 'GET',
      [ATTR.httpRoute]: '/api/conversations/:id',
      [ATTR.urlPath]: '/api/conversations/abc',
      [ATTR.httpResponseStatusCode]: 200,
    });
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('a 4xx is not an error; a 5xx is, with the exception the error handler answered', async () => {
    await app.request('/api/missing');
    await app.request('/api/broken');
    const spans = await spansAfter(['GET /api/missing', 'GET /api/broken']);
    expect(spans.find((s) => s.name === 'GET /api/missing')!.status.code).toBe(SpanStatusCode.UNSET);
    const broken = spans.find((s) => s.name === 'GET /api/broken')!;
    expect(broken.status.code).toBe(SpanStatusCode.ERROR);
    expect(broken.attributes).toMatchObject({ [ATTR.errorType]: 'ENOSPC', [ATTR.httpResponseStatusCode]: 500 });
    expect(broken.events.map((e) => e.name)).toEqual(['exception']);
  });

  it('continues a traceparent sent by the caller', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    await app.request('/api/conversations/x', { headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` } });
    const [span] = await spansAfter(['GET /api/conversations/:id']);
    expect(span!.traceId).toBe(traceId);
    expect(span!.parentSpanId).toBe('b7ad6b7169203331');
  });

  it('keeps a POST event stream open until it ends: the work streamed is inside the request', async () => {
    const response = await app.request('/api/chat', { method: 'POST' });
    expect(await response.text()).toContain('event: done');
    const spans = await spansAfter(['POST /api/chat', 'invoke_agent supervisor']);
    expect(formatSpanTree(spans)).toBe('POST /api/chat [algorhythm-agent-host]\n  invoke_agent supervisor [algorhythm-agent-host]');
    const [http, turn] = ['POST /api/chat', 'invoke_agent supervisor'].map((name) => spans.find((s) => s.name === name)!);
    // Each OTel span anchors its clock on Date.now() (1 ms resolution) when it starts, so two spans'
    // times may disagree by up to 1 ms; the turn lasts over 5 ms, so a span ended with the headers
    // would still fail this.
    expect(http!.endTime).toBeGreaterThanOrEqual(turn!.endTime - 1);
    expect(http!.endTime - http!.startTime).toBeGreaterThanOrEqual(5 - 1);
  });

  it('leaves paths outside the filter alone', async () => {
    expect(await (await app.request('/index.html')).text()).toBe('static');
    await app.request('/api/conversations/y');
    const spans = await spansAfter(['GET /api/conversations/:id']);
    expect(spans.map((s) => s.name)).toEqual(['GET /api/conversations/:id']);
  });
});
