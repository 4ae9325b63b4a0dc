import type { SpanColumns } from './span-columns.ts';
import type { SpanRecord } from './span-record.ts';

/** A trace's summary row: the list's sums and sets, folded from its spans (both stores). */
export interface TraceRow {
  trace_id: string;
  start_ns: bigint;
  end_ns: bigint;
  root_name: string | null;
  root_service: string | null;
  root_duration_ns: bigint | null;
  conversation_id: string | null;
  route: string | null;
  agents: string;
  models: string;
  tools: string;
  services: string;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  error_count: number;
  span_count: number;
}

/** How a store's columns take values: PostgreSQL's text refuses NUL and its token columns are integers. */
export interface ColumnValues {
  text: (value: string) => string;
  count: (value: number) => number;
}
const AS_GIVEN: ColumnValues = { text: (value) => value, count: (value) => value };

/** Sets kept as `,a,b,` so a filter is one `instr(agents, ',x,')` with no LIKE escaping. */
const addTo = (set: string, value: string | null): string =>
  !value || set.includes(`,${value},`) ? set : `${set || ','}${value},`;

/** `old` with one more span of its trace: the root's name and duration, the first conversation and route, the sums. */
export function foldSpan(old: TraceRow | undefined, span: SpanRecord, c: SpanColumns, duration: bigint, values: ColumnValues = AS_GIVEN): TraceRow {
  const root = span.parentSpanId === undefined;
  const text = (value: string | null) => (value === null ? null : values.text(value));
  return {
    trace_id: span.traceId,
    start_ns: old && old.start_ns < span.startNs ? old.start_ns : span.startNs,
    end_ns: old && old.end_ns > span.endNs ? old.end_ns : span.endNs,
    root_name: root ? values.text(span.name) : (old?.root_name ?? null),
    root_service: root ? values.text(span.service) : (old?.root_service ?? null),
    root_duration_ns: root ? duration : (old?.root_duration_ns ?? null),
    conversation_id: old?.conversation_id ?? text(c.conversationId),
    route: old?.route ?? text(c.route),
    agents: addTo(old?.agents ?? '', text(c.agent)),
    models: addTo(old?.models ?? '', text(c.model)),
    tools: addTo(old?.tools ?? '', text(c.tool)),
    services: addTo(old?.services ?? '', values.text(span.service)),
    input_tokens: Number(old?.input_tokens ?? 0) + values.count(c.inputTokens),
    output_tokens: Number(old?.output_tokens ?? 0) + values.count(c.outputTokens),
    cost_usd: Number(old?.cost_usd ?? 0) + c.costUsd,
    error_count: Number(old?.error_count ?? 0) + (c.error ? 1 : 0),
    span_count: Number(old?.span_count ?? 0) + 1,
  };
}
