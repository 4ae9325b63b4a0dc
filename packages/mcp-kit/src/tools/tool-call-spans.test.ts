import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { ServerContext } from '@modelcontextprotocol/server';
import { ATTR, ERROR_TYPE } from '@algorhythm/telemetry';
import { beforeEach, describe, expect, it } from 'vitest';
import { toolCallSpans } from './tool-call-spans.ts';
import { errorResult, okResult } from './tool-result.ts';

const exporter = new InMemorySpanExporter();
const tracer = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }).getTracer('test');
const instrument = toolCallSpans(tracer);
const ctx = { mcpReq: { id: 7 } } as unknown as ServerContext;

beforeEach(() => exporter.reset());
const onlySpan = () => {
  const spans = exporter.getFinishedSpans();
  expect(spans).toHaveLength(1);
  return spans[0]!;
};

describe('toolCallSpans', () => {
  it('wraps a call in an ended `tools/call {tool}` SERVER span', async () => {
    const result = await instrument('list_genres', ctx, async () => okResult({ genres: [] }, 'none'));
    expect(result).toMatchObject({ structuredContent: { genres: [] } });
    const span = onlySpan();
    expect(span.name).toBe('tools/call list_genres');
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.events).toEqual([]);
  });

  it('marks an isError result tool_error without an exception event', async () => {
    await instrument('get_invoice', ctx, async () => errorResult('Invoice 98 was not found on your account.'));
    const span = onlySpan();
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes[ATTR.errorType]).toBe(ERROR_TYPE.toolError);
    expect(span.events).toEqual([]);
  });

  it('records the internal failure the seam answered as an exception on the span', async () => {
    await instrument('get_invoice', ctx, async (recordFailure) => {
      recordFailure(new Error('SQLITE_BUSY: database is locked'));
      return errorResult('Get invoice could not be completed because of an internal error. Please try again later.');
    });
    const span = onlySpan();
    expect(span.attributes[ATTR.errorType]).toBe(ERROR_TYPE.toolError);
    expect(span.events.map((e) => [e.name, e.attributes?.['exception.message']])).toEqual([['exception', 'SQLITE_BUSY: database is locked']]);
  });
});
