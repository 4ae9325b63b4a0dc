import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ATTR, ERROR_TYPE } from './names.ts';
import { errorTypeOf, markSpanError, withSpan, withSpanSync } from './with-span.ts';

const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
const tracer = provider.getTracer('test');

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
});
afterAll(() => context.disable());
beforeEach(() => exporter.reset());

const finished = () => exporter.getFinishedSpans();

describe('withSpan', () => {
  it('runs fn with the span active, returns its value and ends the span', async () => {
    const result = await withSpan(
      tracer,
      'chat gpt-4o-mini',
      { kind: SpanKind.CLIENT, attributes: { [ATTR.genAiRequestModel]: 'gpt-4o-mini' } },
      async (span) => {
        expect(trace.getActiveSpan()).toBe(span);
        await new Promise((r) => setTimeout(r, 1));
        expect(trace.getActiveSpan()).toBe(span); // survives an await
        return 42;
      },
    );
    expect(result).toBe(42);
    const [span] = finished();
    expect(span?.name).toBe('chat gpt-4o-mini');
    expect(span?.kind).toBe(SpanKind.CLIENT);
    expect(span?.attributes[ATTR.genAiRequestModel]).toBe('gpt-4o-mini');
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
    expect(span?.ended).toBe(true);
  });

  it('nests: a span started inside fn is a child', async () => {
    await withSpan(tracer, 'invoke_agent supervisor', {}, () =>
      withSpan(tracer, 'chat m', {}, () => undefined),
    );
    const [child, parent] = finished();
    expect(child?.parentSpanContext?.spanId).toBe(parent?.spanContext().spanId);
    expect(child?.spanContext().traceId).toBe(parent?.spanContext().traceId);
  });

  it('records a rejection: exception event, ERROR status, error.type from the error kind, rethrows the same error', async () => {
    const error = Object.assign(new Error('429 from vendor'), { kind: 'rate_limit' });
    await expect(withSpan(tracer, 'chat m', {}, async () => Promise.reject(error))).rejects.toBe(error);
    const [span] = finished();
    expect(span?.ended).toBe(true);
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: '429 from vendor' });
    expect(span?.attributes[ATTR.errorType]).toBe('rate_limit');
    expect(span?.events.map((e) => e.name)).toEqual(['exception']);
    expect(span?.events[0]?.attributes?.['exception.message']).toBe('429 from vendor');
  });

  it('records a synchronous throw from fn the same way', async () => {
    await expect(
      withSpan(tracer, 'x', {}, () => {
        throw new TypeError('bad');
      }),
    ).rejects.toThrow('bad');
    expect(finished()[0]?.attributes[ATTR.errorType]).toBe('TypeError');
  });

  it('handles thrown non-errors with _OTHER, and a custom errorType mapper', async () => {
    await expect(withSpan(tracer, 'x', {}, () => Promise.reject('boom'))).rejects.toBe('boom');
    await expect(
      withSpan(tracer, 'y', { errorType: () => '503' }, () => Promise.reject(new Error('unavailable'))),
    ).rejects.toThrow();
    const [first, second] = finished();
    expect(first?.attributes[ATTR.errorType]).toBe(ERROR_TYPE.other);
    expect(first?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'boom' });
    expect(second?.attributes[ATTR.errorType]).toBe('503');
  });

  it('parents on an explicit context, or starts a new trace with root', async () => {
    const remote = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: 1,
      isRemote: true,
    });
    await withSpan(tracer, 'tools/call echo', { kind: SpanKind.SERVER, parent: remote }, () =>
      withSpan(tracer, 'detached', { root: true }, () => undefined),
    );
    const [detached, server] = finished();
    expect(server?.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(server?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(detached?.parentSpanContext).toBeUndefined();
    expect(detached?.spanContext().traceId).not.toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('passes links through', async () => {
    const link = { context: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 }, attributes: { k: 'v' } };
    await withSpan(tracer, 'decide_approval', { links: [link] }, () => undefined);
    expect(finished()[0]?.links).toEqual([{ ...link, droppedAttributesCount: 0 }]);
  });
});

describe('withSpanSync', () => {
  it('returns synchronously and records throws', () => {
    expect(withSpanSync(tracer, 'SELECT Album', { kind: SpanKind.CLIENT }, () => 3)).toBe(3);
    expect(() =>
      withSpanSync(tracer, 'SELECT Invoice', {}, () => {
        throw Object.assign(new Error('locked'), { code: 'SQLITE_BUSY' });
      }),
    ).toThrow('locked');
    const [ok, failed] = finished();
    expect(ok?.status.code).toBe(SpanStatusCode.UNSET);
    expect(failed?.attributes[ATTR.errorType]).toBe('SQLITE_BUSY');
    expect(failed?.ended).toBe(true);
  });
});

describe('markSpanError', () => {
  it('marks a result-level failure without an exception event', async () => {
    await withSpan(tracer, 'execute_tool process_refund', {}, (span) => markSpanError(span, ERROR_TYPE.toolError, 'Invoice not found'));
    const [span] = finished();
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'Invoice not found' });
    expect(span?.attributes[ATTR.errorType]).toBe('tool_error');
    expect(span?.events).toEqual([]);
  });
});

describe('errorTypeOf', () => {
  it('prefers kind, then code, then the class name', () => {
    expect(errorTypeOf(Object.assign(new Error(), { kind: 'timeout', code: 'X' }))).toBe('timeout');
    expect(errorTypeOf(Object.assign(new Error(), { code: 'ECONNREFUSED' }))).toBe('ECONNREFUSED');
    expect(errorTypeOf(new RangeError())).toBe('RangeError');
    expect(errorTypeOf(undefined)).toBe('_OTHER');
  });
});
