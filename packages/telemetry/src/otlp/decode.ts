import type { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { decodeMessage } from './protobuf-wire.ts';
import type { Schema } from './protobuf-wire.ts';

/**
 * OTLP export requests (JSON or protobuf) → plain spans and metrics: what the test receiver asserts on
 * and what the agent host's `/v1/traces` stores. Bodies are untrusted: a malformed one throws (the
 * caller answers 400), unknown fields are skipped.
 */

export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };
export type AttributeMap = Record<string, AttributeValue>;

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** Undefined for a root span. */
  parentSpanId: string | undefined;
  traceState: string | undefined;
  name: string;
  /** The API's SpanKind (OTLP's value minus one; unspecified reads as INTERNAL). */
  kind: SpanKind;
  attributes: AttributeMap;
  status: { code: SpanStatusCode; message: string | undefined };
  events: Array<{ name: string; time: number; attributes: AttributeMap }>;
  links: Array<{ traceId: string; spanId: string; attributes: AttributeMap }>;
  resource: AttributeMap;
  /** The resource's `service.name`. */
  serviceName: string;
  scope: { name: string; version: string | undefined };
  /** Milliseconds since the epoch. */
  startTime: number;
  /** The exact start and end, nanoseconds since the epoch as decimal strings (OTLP's fixed64). */
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  endTime: number;
  durationMs: number;
}

export interface ReceivedDataPoint {
  attributes: AttributeMap;
  /** Gauge and sum points. */
  value?: number;
  /** Histogram points. */
  count?: number;
  sum?: number;
  min?: number;
  max?: number;
  bucketCounts?: number[];
  explicitBounds?: number[];
}

export interface ReceivedMetric {
  name: string;
  unit: string;
  description: string;
  type: 'gauge' | 'sum' | 'histogram' | 'exponentialHistogram' | 'summary' | 'unknown';
  dataPoints: ReceivedDataPoint[];
  resource: AttributeMap;
  serviceName: string;
  scope: { name: string; version: string | undefined };
}

// --- protobuf schemas (opentelemetry-proto v1) ---
const AnyValue: Schema = () => ({
  1: { name: 'stringValue', type: 'string' },
  2: { name: 'boolValue', type: 'bool' },
  3: { name: 'intValue', type: 'int64' },
  4: { name: 'doubleValue', type: 'double' },
  5: { name: 'arrayValue', type: ArrayValue },
  6: { name: 'kvlistValue', type: KeyValueList },
  7: { name: 'bytesValue', type: 'base64' },
});
const ArrayValue: Schema = () => ({ 1: { name: 'values', type: AnyValue, repeated: true } });
const KeyValue: Schema = () => ({ 1: { name: 'key', type: 'string' }, 2: { name: 'value', type: AnyValue } });
const KeyValueList: Schema = () => ({ 1: { name: 'values', type: KeyValue, repeated: true } });
const attributes = { name: 'attributes', type: KeyValue, repeated: true };
const Resource: Schema = () => ({ 1: attributes });
const Scope: Schema = () => ({ 1: { name: 'name', type: 'string' }, 2: { name: 'version', type: 'string' }, 3: attributes });
const Status: Schema = () => ({ 2: { name: 'message', type: 'string' }, 3: { name: 'code', type: 'uint' } });
const Event: Schema = () => ({ 1: { name: 'timeUnixNano', type: 'fixed64' }, 2: { name: 'name', type: 'string' }, 3: attributes });
const Link: Schema = () => ({
  1: { name: 'traceId', type: 'hex' },
  2: { name: 'spanId', type: 'hex' },
  3: { name: 'traceState', type: 'string' },
  4: attributes,
});
const Span: Schema = () => ({
  1: { name: 'traceId', type: 'hex' },
  2: { name: 'spanId', type: 'hex' },
  3: { name: 'traceState', type: 'string' },
  4: { name: 'parentSpanId', type: 'hex' },
  5: { name: 'name', type: 'string' },
  6: { name: 'kind', type: 'uint' },
  7: { name: 'startTimeUnixNano', type: 'fixed64' },
  8: { name: 'endTimeUnixNano', type: 'fixed64' },
  9: attributes,
  11: { name: 'events', type: Event, repeated: true },
  13: { name: 'links', type: Link, repeated: true },
  15: { name: 'status', type: Status },
});
const ScopeSpans: Schema = () => ({ 1: { name: 'scope', type: Scope }, 2: { name: 'spans', type: Span, repeated: true } });
const ResourceSpans: Schema = () => ({
  1: { name: 'resource', type: Resource },
  2: { name: 'scopeSpans', type: ScopeSpans, repeated: true },
});
const TraceRequest: Schema = () => ({ 1: { name: 'resourceSpans', type: ResourceSpans, repeated: true } });

const NumberDataPoint: Schema = () => ({ 7: attributes, 4: { name: 'asDouble', type: 'double' }, 6: { name: 'asInt', type: 'sfixed64' } });
const HistogramDataPoint: Schema = () => ({
  9: attributes,
  4: { name: 'count', type: 'fixed64' },
  5: { name: 'sum', type: 'double' },
  6: { name: 'bucketCounts', type: 'fixed64', repeated: true },
  7: { name: 'explicitBounds', type: 'double', repeated: true },
  11: { name: 'min', type: 'double' },
  12: { name: 'max', type: 'double' },
});
const points = (type: Schema): Schema => () => ({ 1: { name: 'dataPoints', type, repeated: true } });
const Metric: Schema = () => ({
  1: { name: 'name', type: 'string' },
  2: { name: 'description', type: 'string' },
  3: { name: 'unit', type: 'string' },
  5: { name: 'gauge', type: points(NumberDataPoint) },
  7: { name: 'sum', type: points(NumberDataPoint) },
  9: { name: 'histogram', type: points(HistogramDataPoint) },
  10: { name: 'exponentialHistogram', type: points(() => ({ 1: attributes })) },
  11: { name: 'summary', type: points(() => ({ 7: attributes })) },
});
const ScopeMetrics: Schema = () => ({ 1: { name: 'scope', type: Scope }, 2: { name: 'metrics', type: Metric, repeated: true } });
const ResourceMetrics: Schema = () => ({
  1: { name: 'resource', type: Resource },
  2: { name: 'scopeMetrics', type: ScopeMetrics, repeated: true },
});
const MetricsRequest: Schema = () => ({ 1: { name: 'resourceMetrics', type: ResourceMetrics, repeated: true } });

export type Encoding = 'json' | 'protobuf';

/** OTLP/JSON (or the protobuf decoded into its shape): untyped input. */
type Json = Record<string, any>;

function parse(body: Uint8Array, encoding: Encoding, schema: Schema): Json {
  return encoding === 'json' ? JSON.parse(new TextDecoder().decode(body)) : decodeMessage(body, schema);
}

export function decodeTraces(body: Uint8Array, encoding: Encoding): ReceivedSpan[] {
  const request = parse(body, encoding, TraceRequest);
  const spans: ReceivedSpan[] = [];
  for (const rs of list(request.resourceSpans)) {
    const resource = toAttributes(rs.resource?.attributes);
    for (const ss of list(rs.scopeSpans)) {
      for (const s of list(ss.spans)) {
        const startTime = nanosToMs(s.startTimeUnixNano);
        const endTime = nanosToMs(s.endTimeUnixNano);
        spans.push({
          traceId: id(s.traceId),
          spanId: id(s.spanId),
          parentSpanId: id(s.parentSpanId) || undefined,
          traceState: s.traceState || undefined,
          name: s.name ?? '',
          kind: Math.max(0, Number(s.kind ?? 0) - 1) as SpanKind,
          attributes: toAttributes(s.attributes),
          status: { code: Number(s.status?.code ?? 0) as SpanStatusCode, message: s.status?.message || undefined },
          events: list(s.events).map((e) => ({
            name: e.name ?? '',
            time: nanosToMs(e.timeUnixNano),
            attributes: toAttributes(e.attributes),
          })),
          links: list(s.links).map((l) => ({ traceId: id(l.traceId), spanId: id(l.spanId), attributes: toAttributes(l.attributes) })),
          resource,
          serviceName: String(resource['service.name'] ?? ''),
          scope: scopeOf(ss.scope),
          startTime,
          endTime,
          startTimeUnixNano: nanos(s.startTimeUnixNano),
          endTimeUnixNano: nanos(s.endTimeUnixNano),
          durationMs: endTime - startTime,
        });
      }
    }
  }
  return spans;
}

export function decodeMetrics(body: Uint8Array, encoding: Encoding): ReceivedMetric[] {
  const request = parse(body, encoding, MetricsRequest);
  const out: ReceivedMetric[] = [];
  for (const rm of list(request.resourceMetrics)) {
    const resource = toAttributes(rm.resource?.attributes);
    for (const sm of list(rm.scopeMetrics)) {
      for (const m of list(sm.metrics)) {
        const type = (['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'] as const).find((t) => m[t]) ?? 'unknown';
        out.push({
          name: m.name ?? '',
          unit: m.unit ?? '',
          description: m.description ?? '',
          type,
          dataPoints: type === 'unknown' ? [] : list(m[type].dataPoints).map(toDataPoint),
          resource,
          serviceName: String(resource['service.name'] ?? ''),
          scope: scopeOf(sm.scope),
        });
      }
    }
  }
  return out;
}

function toDataPoint(p: Json): ReceivedDataPoint {
  const point: ReceivedDataPoint = { attributes: toAttributes(p.attributes) };
  if (p.asDouble !== undefined) point.value = Number(p.asDouble);
  if (p.asInt !== undefined) point.value = Number(p.asInt);
  if (p.count !== undefined) point.count = Number(p.count);
  if (p.sum !== undefined) point.sum = Number(p.sum);
  if (p.min !== undefined) point.min = Number(p.min);
  if (p.max !== undefined) point.max = Number(p.max);
  if (p.bucketCounts !== undefined) point.bucketCounts = list(p.bucketCounts).map(Number);
  if (p.explicitBounds !== undefined) point.explicitBounds = list(p.explicitBounds).map(Number);
  return point;
}

function toAttributes(kvs: unknown): AttributeMap {
  const out: AttributeMap = {};
  for (const kv of list(kvs)) out[kv.key] = toValue(kv.value);
  return out;
}

function toValue(v: Json | undefined): AttributeValue {
  if (!v) return null;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return Boolean(v.boolValue);
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return Number(v.doubleValue);
  if (v.arrayValue !== undefined) return list(v.arrayValue.values).map(toValue);
  if (v.kvlistValue !== undefined) return toAttributes(v.kvlistValue.values);
  if (v.bytesValue !== undefined) return String(v.bytesValue);
  return null;
}

function scopeOf(scope: Json | undefined): { name: string; version: string | undefined } {
  return { name: scope?.name ?? '', version: scope?.version || undefined };
}

/** OTLP/JSON ids are hex; tolerate base64 (proto3 JSON's bytes encoding) from other exporters. */
function id(value: unknown): string {
  if (typeof value !== 'string' || value === '') return '';
  if (/^[0-9a-fA-F]+$/.test(value) && (value.length === 32 || value.length === 16)) return value.toLowerCase();
  return Buffer.from(value, 'base64').toString('hex');
}

function nanos(value: unknown): string {
  if (value === undefined || value === null || value === '') return '0';
  return BigInt(typeof value === 'number' ? Math.round(value) : String(value)).toString();
}

function nanosToMs(value: unknown): number {
  if (value === undefined || value === null || value === '') return 0;
  const nanos = BigInt(typeof value === 'number' ? Math.round(value) : String(value));
  return Number(nanos / 1000n) / 1000;
}

function list(value: unknown): Json[] {
  return Array.isArray(value) ? value : [];
}
