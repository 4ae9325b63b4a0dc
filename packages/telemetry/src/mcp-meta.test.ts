import * as mcpClient from '@modelcontextprotocol/client';
import { context, propagation, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, TraceState, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  BAGGAGE_META_KEY,
  extractTraceContext,
  injectTraceMeta,
  TRACEPARENT_META_KEY,
  TRACESTATE_META_KEY,
} from './mcp-meta.ts';
import { withSpan } from './with-span.ts';

const w3c = new W3CTraceContextPropagator();

describe('meta keys', () => {
  it('are the MCP SDK’s SEP-414 keys', () => {
    expect(TRACEPARENT_META_KEY).toBe(mcpClient.TRACEPARENT_META_KEY);
    expect(TRACESTATE_META_KEY).toBe(mcpClient.TRACESTATE_META_KEY);
    expect(BAGGAGE_META_KEY).toBe(mcpClient.BAGGAGE_META_KEY);
  });
});

describe('injectTraceMeta / extractTraceContext', () => {
  const remote = {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    traceFlags: 1,
    isRemote: false,
  };

  it('adds traceparent to a copy of _meta, keeping existing keys', () => {
    const meta = { progressToken: 5 };
    const ctx = trace.setSpanContext(ROOT_CONTEXT, remote);
    const out = injectTraceMeta(meta, { context: ctx, propagator: w3c });
    expect(out).toEqual({ progressToken: 5, traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' });
    expect(meta).toEqual({ progressToken: 5 });
  });

  it('adds nothing without a valid span context', () => {
    expect(injectTraceMeta(undefined, { context: ROOT_CONTEXT, propagator: w3c })).toEqual({});
  });

  it('ignores metas that are not objects or whose values are not strings', () => {
    for (const meta of [undefined, null, 'traceparent', 42, [], { traceparent: 17 }, { traceparent: 'junk' }]) {
      const ctx = extractTraceContext(meta, { context: ROOT_CONTEXT, propagator: w3c });
      expect(trace.getSpanContext(ctx)).toBeUndefined();
    }
  });
});

describe('across a simulated process boundary', () => {
  const clientExporter = new InMemorySpanExporter();
  const serverExporter = new InMemorySpanExporter();
  const client = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: clientExporter })] }).getTracer('host');
  const server = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: serverExporter })] }).getTracer('mcp');

  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    // The defaults: the globally configured propagators, as startTelemetry registers them.
    propagation.setGlobalPropagator(
      new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
    );
  });
  afterAll(() => {
    propagation.disable();
    context.disable();
  });
  beforeEach(() => {
    clientExporter.reset();
    serverExporter.reset();
  });

  it('continues the client span’s trace in the server span, with tracestate and baggage', async () => {
    // Host: upstream context (with tracestate and baggage), then an execute_tool span that puts its
    // context in the request's _meta, which goes over the wire as JSON.
    const upstream = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '1'.repeat(32),
      spanId: '2'.repeat(16),
      traceFlags: 1,
      isRemote: true,
      traceState: new TraceState('algo=1'),
    });
    const base = propagation.setBaggage(upstream, propagation.createBaggage({ tenant: { value: 'store-1' } }));
    const wire = await context.with(base, () =>
      withSpan(client, 'execute_tool get_invoice', { kind: SpanKind.CLIENT }, () =>
        JSON.stringify({ method: 'tools/call', params: { name: 'get_invoice', _meta: injectTraceMeta({}) } }),
      ),
    );

    // Server: a fresh context (no active span), the request parsed from the wire.
    const request = JSON.parse(wire) as { params: { _meta: Record<string, unknown> } };
    expect(Object.keys(request.params._meta).sort()).toEqual(['baggage', 'traceparent', 'tracestate']);
    const parent = context.with(ROOT_CONTEXT, () => extractTraceContext(request.params._meta));
    expect(trace.getSpanContext(parent)?.isRemote).toBe(true);
    expect(propagation.getBaggage(parent)?.getEntry('tenant')?.value).toBe('store-1');
    await withSpan(server, 'tools/call get_invoice', { kind: SpanKind.SERVER, parent }, () => undefined);

    const [clientSpan] = clientExporter.getFinishedSpans();
    const [serverSpan] = serverExporter.getFinishedSpans();
    expect(clientSpan?.spanContext().traceId).toBe('1'.repeat(32));
    expect(serverSpan?.spanContext().traceId).toBe(clientSpan?.spanContext().traceId);
    expect(serverSpan?.parentSpanContext?.spanId).toBe(clientSpan?.spanContext().spanId);
    expect(serverSpan?.parentSpanContext?.isRemote).toBe(true);
    expect(serverSpan?.spanContext().traceState?.get('algo')).toBe('1');
  });
});
