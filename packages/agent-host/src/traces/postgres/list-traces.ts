import type { Pool } from 'pg';
import { decodeCursor, encodeCursor, type TraceFilter, type TracePage, type TraceSummary } from '../list-traces.ts';

/**
 * Recent traces, newest first, filtered, one page at a time: the SQLite list (../list-traces.ts) in
 * PostgreSQL, with the same filters, order and cursor (`start_ns:trace_id`, base64url), so a cursor from
 * one replica pages on another.
 */
export async function listTraces(pool: Pool, filter: TraceFilter): Promise<TracePage> {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  for (const [column, value] of [['agents', filter.agent], ['models', filter.model], ['tools', filter.tool]] as const) {
    if (value) where.push(`strpos(${column}, ${param(`,${value},`)}) > 0`);
  }
  if (filter.errorsOnly) where.push('error_count > 0');
  // A turn is listed once its root span arrived (see ../list-traces.ts): its page key no longer moves.
  if (filter.turnsOnly) where.push(`agents <> '' AND root_name IS NOT NULL`);
  if (filter.conversationId) where.push(`conversation_id = ${param(filter.conversationId)}`);
  const after = filter.cursor ? decodeCursor(filter.cursor) : undefined;
  if (after) where.push(`(start_ns, trace_id) < (${param(after.startNs.toString())}::bigint, ${param(after.traceId)})`);
  const { rows } = await pool.query<TraceRow>(
    `SELECT * FROM trace ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY start_ns DESC, trace_id DESC LIMIT ${param(filter.limit + 1)}`,
    params,
  );
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  return {
    traces: page.map(toSummary),
    nextCursor: rows.length > filter.limit && last ? encodeCursor(last.start_ns, last.trace_id) : null,
  };
}

/** A `trace` row as the pool reads it (int8 as bigint). */
interface TraceRow {
  trace_id: string;
  start_ns: bigint;
  end_ns: bigint;
  root_name: string | null;
  root_duration_ns: bigint | null;
  conversation_id: string | null;
  route: string | null;
  agents: string;
  models: string;
  tools: string;
  services: string;
  input_tokens: bigint;
  output_tokens: bigint;
  cost_usd: number;
  error_count: number;
  span_count: number;
}

function toSummary(row: TraceRow): TraceSummary {
  const duration = row.root_duration_ns ?? row.end_ns - row.start_ns;
  const set = (value: string) => value.split(',').filter(Boolean);
  return {
    traceId: row.trace_id,
    startTime: Number(row.start_ns / 1000n) / 1000,
    durationMs: Number(duration / 1000n) / 1000,
    rootName: row.root_name,
    conversationId: row.conversation_id,
    route: row.route,
    agents: set(row.agents),
    models: set(row.models),
    tools: set(row.tools),
    services: set(row.services),
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    costUsd: Math.round(row.cost_usd * 1e10) / 1e10,
    errorCount: row.error_count,
    spanCount: row.span_count,
  };
}
