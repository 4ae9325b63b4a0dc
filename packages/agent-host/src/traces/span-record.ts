import type { AttributeMap, AttributeValue, ReceivedSpan } from '@algorhythm/telemetry/otlp/decode';
import type { Attributes, HrTime } from '@opentelemetry/api';
import type { ReadableSpan } from '@algorhythm/telemetry/setup';

/** One span as the trace store keeps it, whichever way it came (in-process or OTLP). */
export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  /** The resource's `service.name`. */
  service: string;
  name: string;
  /** The API's SpanKind number (INTERNAL 0, SERVER 1, CLIENT 2, PRODUCER 3, CONSUMER 4). */
  kind: number;
  /** Nanoseconds since the epoch. */
  startNs: bigint;
  endNs: bigint;
  /** The API's SpanStatusCode (UNSET 0, OK 1, ERROR 2). */
  statusCode: number;
  statusMessage: string | undefined;
  attributes: AttributeMap;
  events: Array<{ name: string; timeNs: string; attributes: AttributeMap }>;
}

/** A span decoded from an OTLP request (children's spans). */
export function fromReceivedSpan(span: ReceivedSpan): SpanRecord {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    service: span.serviceName,
    name: span.name,
    kind: span.kind,
    startNs: BigInt(span.startTimeUnixNano),
    endNs: BigInt(span.endTimeUnixNano),
    statusCode: span.status.code,
    statusMessage: span.status.message,
    attributes: span.attributes,
    events: span.events.map((e) => ({ name: e.name, timeNs: msToNs(e.time).toString(), attributes: e.attributes })),
  };
}

/** A span ended in this process (the host's own), without an OTLP round trip. */
export function fromReadableSpan(span: ReadableSpan): SpanRecord {
  const context = span.spanContext();
  return {
    traceId: context.traceId,
    spanId: context.spanId,
    parentSpanId: span.parentSpanContext?.spanId,
    service: String(span.resource.attributes['service.name'] ?? ''),
    name: span.name,
    kind: span.kind,
    startNs: hrToNs(span.startTime),
    endNs: hrToNs(span.endTime),
    statusCode: span.status.code,
    statusMessage: span.status.message || undefined,
    attributes: plain(span.attributes),
    events: span.events.map((e) => ({ name: e.name, timeNs: hrToNs(e.time).toString(), attributes: plain(e.attributes ?? {}) })),
  };
}

const hrToNs = ([seconds, nanos]: HrTime): bigint => BigInt(seconds) * 1_000_000_000n + BigInt(nanos);
const msToNs = (ms: number): bigint => BigInt(Math.round(ms * 1e6));

function plain(attributes: Attributes): AttributeMap {
  const out: AttributeMap = {};
  for (const key in attributes) {
    const value = attributes[key];
    if (value !== undefined) out[key] = value as AttributeValue;
  }
  return out;
}
