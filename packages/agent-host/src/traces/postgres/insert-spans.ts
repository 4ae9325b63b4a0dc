import type { PoolClient } from 'pg';
import { spanColumns } from '../span-columns.ts';
import type { SpanRecord } from '../span-record.ts';

/**
 * Step one of a write: the spans not stored yet, in one statement, in key order (two replicas inserting
 * overlapping batches take the keys in the same order, so neither waits on the other in a cycle). Returns the
 * keys it stored, with what each row takes: its datum plus ~100 bytes of tuple header and index entry.
 */
const INSERT_SPANS = `INSERT INTO span (trace_id, span_id, parent_span_id, service, name, kind, start_ns, end_ns, duration_ns,
    status_code, status_message, attributes, events, conversation_id, agent, model, tool, input_tokens, output_tokens, cost_usd, error)
  SELECT trace_id, span_id, parent_span_id, service, name, kind, start_ns, end_ns, duration_ns, status_code, status_message,
    attributes::json, events::json, conversation_id, agent, model, tool, input_tokens, output_tokens, cost_usd, error
  FROM json_to_recordset($1::json) AS s (trace_id text, span_id text, parent_span_id text, service text, name text,
    kind integer, start_ns bigint, end_ns bigint, duration_ns bigint, status_code integer, status_message text, attributes text,
    events text, conversation_id text, agent text, model text, tool text, input_tokens bigint, output_tokens bigint,
    cost_usd double precision, error integer)
  ORDER BY trace_id, span_id
  ON CONFLICT (trace_id, span_id) DO NOTHING
  RETURNING trace_id, span_id, pg_column_size(span.*) + 100 AS bytes`;

export interface InsertedSpan {
  trace_id: string;
  span_id: string;
  bytes: number;
}

/** `spans`: valid ids, each key once. */
export async function insertSpans(client: PoolClient, spans: readonly SpanRecord[]): Promise<InsertedSpan[]> {
  const rows = spans.map((span) => {
    const c = spanColumns(span);
    return {
      trace_id: span.traceId,
      span_id: span.spanId,
      parent_span_id: span.parentSpanId === undefined ? null : noNul(span.parentSpanId),
      service: noNul(span.service),
      name: noNul(span.name),
      kind: span.kind,
      start_ns: span.startNs.toString(),
      end_ns: span.endNs.toString(),
      duration_ns: durationOf(span).toString(),
      status_code: span.statusCode,
      status_message: span.statusMessage === undefined ? null : noNul(span.statusMessage),
      // As JSON text inside the batch: a nested object's `\u0000` would not survive its way through `text`.
      attributes: JSON.stringify(span.attributes),
      events: JSON.stringify(span.events),
      conversation_id: nulled(c.conversationId),
      agent: nulled(c.agent),
      model: nulled(c.model),
      tool: nulled(c.tool),
      input_tokens: Math.round(c.inputTokens),
      output_tokens: Math.round(c.outputTokens),
      cost_usd: c.costUsd,
      error: c.error ? 1 : 0,
    };
  });
  return (await client.query<InsertedSpan>(INSERT_SPANS, [JSON.stringify(rows)])).rows;
}

export const durationOf = (span: SpanRecord): bigint => (span.endNs > span.startNs ? span.endNs - span.startNs : 0n);

/** PostgreSQL text cannot hold U+0000 (SQLite can); the `json` columns keep it escaped. */
export const noNul = (text: string): string => (text.includes('\u0000') ? text.replaceAll('\u0000', '') : text);
const nulled = (text: string | null): string | null => (text === null ? null : noNul(text));
