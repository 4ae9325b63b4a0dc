import type { PoolClient } from 'pg';
import { foldSpan, type ColumnValues, type TraceRow } from '../fold-trace.ts';
import { spanColumns } from '../span-columns.ts';
import type { SpanRecord } from '../span-record.ts';
import { durationOf, noNul } from './insert-spans.ts';

/** One trace's share of a write, folded as the SQLite writer folds; merged into the row by UPSERT_TRACES. */
export interface TraceDelta extends TraceRow {
  bytes: number;
}

const POSTGRES_VALUES: ColumnValues = { text: noNul, count: Math.round };

/** The newly stored spans, in the order given, as one delta per trace, ordered by trace id (the lock order). */
export function foldTraces(spans: readonly SpanRecord[], bytesOf: (span: SpanRecord) => number): TraceDelta[] {
  const deltas = new Map<string, TraceDelta>();
  for (const span of spans) {
    const old = deltas.get(span.traceId);
    const row = foldSpan(old, span, spanColumns(span), durationOf(span), POSTGRES_VALUES);
    deltas.set(span.traceId, { ...row, bytes: (old?.bytes ?? 0) + bytesOf(span) });
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
