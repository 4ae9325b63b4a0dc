import type { Pool } from 'pg';
import { decodeCursor, encodeCursor, toSummary, type TraceFilter, type TracePage } from '../list-traces.ts';

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
  const { rows } = await pool.query<Record<string, unknown> & { start_ns: bigint; trace_id: string }>(
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
