import { gzipSync } from 'node:zlib';
import { SpanKind } from '@opentelemetry/api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOtlpReceiver } from './otlp-receiver.ts';
import type { OtlpReceiver } from './otlp-receiver.ts';
import { formatSpanTree } from './span-tree.ts';

/** A hand-written OTLP/JSON request: a root span and two children, one from another service. */
const span = (name: string, spanId: string, parentSpanId: string | undefined, start: number, extra: object = {}) => ({
  traceId: 'ab'.repeat(16),
  spanId,
  parentSpanId,
  name,
  kind: 3,
  startTimeUnixNano: String(BigInt(start) * 1_000_000n),
  endTimeUnixNano: String(BigInt(start + 5) * 1_000_000n),
  attributes: [
    { key: 'gen_ai.usage.input_tokens', value: { intValue: '12' } },
    { key: 'gen_ai.response.finish_reasons', value: { arrayValue: { values: [{ stringValue: 'stop' }] } } },
  ],
  status: {},
  ...extra,
});
const body = (service: string, spans: object[]) => ({
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeSpans: [{ scope: { name: 'test', version: '1' }, spans }],
    },
  ],
});

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(() => receiver.close());
beforeEach(() => receiver.clear());

const post = (path: string, payload: Buffer | string, headers: Record<string, string>) =>
  fetch(receiver.url + path, { method: 'POST', body: payload, headers });

describe('OTLP receiver', () => {
  it('decodes gzip JSON into plain spans and counts bytes', async () => {
    const json = JSON.stringify(body('host', [span('invoke_agent supervisor', '01'.repeat(8), undefined, 1000), span('chat m', '02'.repeat(8), '01'.repeat(8), 1001)]));
    const res = await post('/v1/traces', gzipSync(json), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    const [root, chat] = receiver.spans;
    expect(root).toMatchObject({ name: 'invoke_agent supervisor', parentSpanId: undefined, kind: SpanKind.CLIENT, serviceName: 'host', startTime: 1000, durationMs: 5 });
    expect(chat?.parentSpanId).toBe('01'.repeat(8));
    expect(chat?.attributes).toEqual({ 'gen_ai.usage.input_tokens': 12, 'gen_ai.response.finish_reasons': ['stop'] });
    expect(receiver.requests).toEqual([{ signal: 'traces', encoding: 'json', wireBytes: expect.any(Number), bytes: Buffer.byteLength(json), items: 2 }]);
    expect(receiver.bytes('traces')).toBe(Buffer.byteLength(json));
    expect(receiver.bytes('metrics')).toBe(0);
  });

  it('formats the received spans as a tree across services', async () => {
    await post('/v1/traces', JSON.stringify(body('host', [span('execute_tool get_invoice', '01'.repeat(8), undefined, 1000)])), { 'content-type': 'application/json' });
    await post('/v1/traces', JSON.stringify(body('support-mcp', [span('tools/call get_invoice', '02'.repeat(8), '01'.repeat(8), 1001), span('SELECT Invoice', '03'.repeat(8), '02'.repeat(8), 1002)])), { 'content-type': 'application/json' });
    expect(formatSpanTree(receiver.spans)).toBe(
      ['execute_tool get_invoice [host]', '  tools/call get_invoice [support-mcp]', '    SELECT Invoice [support-mcp]'].join('\n'),
    );
  });

  it('acknowledges logs, rejects unknown paths and undecodable bodies', async () => {
    expect((await post('/v1/logs', '{}', { 'content-type': 'application/json' })).status).toBe(200);
    expect((await post('/v1/other', '{}', { 'content-type': 'application/json' })).status).toBe(404);
    expect((await post('/v1/traces', 'not json', { 'content-type': 'application/json' })).status).toBe(400);
    expect((await post('/v1/traces', Buffer.from([0x0a, 0xff]), { 'content-type': 'application/x-protobuf' })).status).toBe(400);
    expect(receiver.errors).toHaveLength(2);
    expect(receiver.requests.map((r) => r.signal)).toEqual(['logs']);
  });

  it('waitFor resolves on arrival and times out with what it saw', async () => {
    const waiting = receiver.waitFor((spans) => spans.some((s) => s.name === 'late'), 2000);
    await post('/v1/traces', JSON.stringify(body('host', [span('late', '09'.repeat(8), undefined, 1)])), { 'content-type': 'application/json' });
    expect((await waiting).map((s) => s.name)).toEqual(['late']);
    await expect(receiver.waitFor(() => false, 50)).rejects.toThrow('received 1 spans: late');
  });
});
