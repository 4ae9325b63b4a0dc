import type { PoolClient } from 'pg';
import { spanColumns } from '../span-columns.ts';
import type { SpanRecord } from '../span-record.ts';
import { durationOf, noNul } from './insert-spans.ts';

/** One trace's share of a write, folded as write-spans.ts folds span by span; merged into the row by UPSERT_TRACES. */
export interface TraceDelta {
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
  bytes: number;
}

/** Sets kept as `,a,b,` (write-spans.ts's `addTo`; `trace_set_union` in SQL does the same for a whole set). */
const addTo = (set: string, value: string | null): string =>
  !value || set.includes(`,${value},`) ? set : `${set || ','}${value},`;
const text = (value: string | null): string | null => (value === null ? null : noNul(value));

/** The newly stored spans, in the order given, as one delta per trace, ordered by trace id (the lock order). */
export function foldTraces(spans: readonly SpanRecord[], bytesOf: (span: SpanRecord) => number): TraceDelta[] {
  const deltas = new Map<string, TraceDelta>();
  for (const span of spans) {
    const c = spanColumns(span);
    const duration = durationOf(span);
    const old = deltas.get(span.traceId);
    const root = span.parentSpanId === undefined;
    deltas.set(span.traceId, {
      trace_id: span.traceId,
      start_ns: old && old.start_ns < span.startNs ? old.start_ns : span.startNs,
      end_ns: old && old.end_ns > span.endNs ? old.end_ns : span.endNs,
      root_name: root ? noNul(span.name) : (old?.root_name ?? null),
      root_service: root ? noNul(span.service) : (old?.root_service ?? null),
      root_duration_ns: root ? duration : (old?.root_duration_ns ?? null),
      conversation_id: old?.conversation_id ?? text(c.conversationId),
      route: old?.route ?? text(c.route),
      agents: addTo(old?.agents ?? '', text(c.agent)),
      models: addTo(old?.models ?? '', text(c.model)),
      tools: addTo(old?.tools ?? '', text(c.tool)),
      services: addTo(old?.services ?? '', noNul(span.service)),
      input_tokens: (old?.input_tokens ?? 0) + Math.round(c.inputTokens),
      output_tokens: (old?.output_tokens ?? 0) + Math.round(c.outputTokens),
      cost_usd: (old?.cost_usd ?? 0) + c.costUsd,
      error_count: (old?.error_count ?? 0) + (c.error ? 1 : 0),
      span_count: (old?.span_count ?? 0) + 1,
      bytes: (old?.bytes ?? 0) + bytesOf(span),
    });
  }
  return [...deltas.values()].sort((a, b) => (a.trace_id < b.trace_id ? -1 : a.trace_id > b.trace_id ? 1 : 0));
}

/**
 * Step two of a write: each trace's delta merged into its row in one statement, by arithmetic on the row as
 * committed. A second replica updating the same trace waits for the row lock, then adds to the first one's
 * sums: none is lost. The root comes from the delta when it has one (the latest root wins, as in SQLite);
 * conversation and route keep the first seen.
 */
const UPSERT_TRACES = `INSERT INTO trace (trace_id, start_ns, end_ns, root_name, root_service, root_duration_ns, conversation_id, route,
    agents, models, tools, services, input_tokens, output_tokens, cost_usd, error_count, span_count, bytes)
  SELECT * FROM json_to_recordset($1::json) AS t (trace_id text, start_ns bigint, end_ns bigint, root_name text, root_service text,
    root_duration_ns bigint, conversation_id text, route text, agents text, models text, tools text, services text,
    input_tokens bigint, output_tokens bigint, cost_usd double precision, error_count integer, span_count integer, bytes bigint)
  ORDER BY trace_id
  ON CONFLICT (trace_id) DO UPDATE SET
    start_ns = LEAST(trace.start_ns, EXCLUDED.start_ns),
    end_ns = GREATEST(trace.end_ns, EXCLUDED.end_ns),
    root_name = COALESCE(EXCLUDED.root_name, trace.root_name),
    root_service = CASE WHEN EXCLUDED.root_name IS NULL THEN trace.root_service ELSE EXCLUDED.root_service END,
    root_duration_ns = CASE WHEN EXCLUDED.root_name IS NULL THEN trace.root_duration_ns ELSE EXCLUDED.root_duration_ns END,
    conversation_id = COALESCE(trace.conversation_id, EXCLUDED.conversation_id),
    route = COALESCE(trace.route, EXCLUDED.route),
    agents = trace_set_union(trace.agents, EXCLUDED.agents),
    models = trace_set_union(trace.models, EXCLUDED.models),
    tools = trace_set_union(trace.tools, EXCLUDED.tools),
    services = trace_set_union(trace.services, EXCLUDED.services),
    input_tokens = trace.input_tokens + EXCLUDED.input_tokens,
    output_tokens = trace.output_tokens + EXCLUDED.output_tokens,
    cost_usd = trace.cost_usd + EXCLUDED.cost_usd,
    error_count = trace.error_count + EXCLUDED.error_count,
    span_count = trace.span_count + EXCLUDED.span_count,
    bytes = trace.bytes + EXCLUDED.bytes`;

export async function upsertTraces(client: PoolClient, deltas: readonly TraceDelta[]): Promise<void> {
  const json = JSON.stringify(deltas, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
  await client.query(UPSERT_TRACES, [json]);
}
