import type { TraceDb } from './trace-db.ts';

export interface TraceFilter {
  agent?: string;
  model?: string;
  tool?: string;
  errorsOnly?: boolean;
  /** Only finished traces in which an agent ran (turns), not every traced request. */
  turnsOnly?: boolean;
  conversationId?: string;
  /** From the previous page's `nextCursor`. */
  cursor?: string;
  limit: number;
}

export interface TraceSummary {
  traceId: string;
  /** Milliseconds since the epoch. */
  startTime: number;
  durationMs: number;
  rootName: string | null;
  conversationId: string | null;
  route: string | null;
  agents: string[];
  models: string[];
  tools: string[];
  services: string[];
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  errorCount: number;
  spanCount: number;
}

export interface TracePage {
  traces: TraceSummary[];
  nextCursor: string | null;
}

/** Recent traces, newest first, filtered, one page at a time (keyset on start time and id). */
export function listTraces(db: TraceDb, filter: TraceFilter): TracePage {
  const where: string[] = [];
  const params: unknown[] = [];
  for (const [column, value] of [['agents', filter.agent], ['models', filter.model], ['tools', filter.tool]] as const) {
    if (value) {
      where.push(`instr(${column}, ?) > 0`);
      params.push(`,${value},`);
    }
  }
  if (filter.errorsOnly) where.push('error_count > 0');
  // A turn is listed once its root span arrived: the root starts first, so the row's start time (the page key)
  // no longer moves and a cursor never shows a trace twice.
  if (filter.turnsOnly) where.push(`agents <> '' AND root_name IS NOT NULL`);
  if (filter.conversationId) {
    where.push('conversation_id = ?');
    params.push(filter.conversationId);
  }
  const after = filter.cursor ? decodeCursor(filter.cursor) : undefined;
  if (after) {
    where.push('(start_ns < ? OR (start_ns = ? AND trace_id < ?))');
    params.push(after.startNs, after.startNs, after.traceId);
  }
  const rows = db
    .prepare(
      `SELECT * FROM trace ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY start_ns DESC, trace_id DESC LIMIT ?`,
    )
    .safeIntegers(true)
    .all(...params, filter.limit + 1) as Array<Record<string, unknown>>;
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  return {
    traces: page.map(toSummary),
    nextCursor: rows.length > filter.limit && last ? encodeCursor(last.start_ns as bigint, String(last.trace_id)) : null,
  };
}

/** A stored `trace` row as the list shows it (both stores; integers may come as bigint). */
export function toSummary(row: Record<string, unknown>): TraceSummary {
  const startNs = row.start_ns as bigint;
  const duration = (row.root_duration_ns as bigint | null) ?? (row.end_ns as bigint) - startNs;
  const set = (value: unknown) => String(value).split(',').filter(Boolean);
  return {
    traceId: String(row.trace_id),
    startTime: Number(startNs / 1000n) / 1000,
    durationMs: Number(duration / 1000n) / 1000,
    rootName: (row.root_name as string | null) ?? null,
    conversationId: (row.conversation_id as string | null) ?? null,
    route: (row.route as string | null) ?? null,
    agents: set(row.agents),
    models: set(row.models),
    tools: set(row.tools),
    services: set(row.services),
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    costUsd: Math.round(Number(row.cost_usd) * 1e10) / 1e10,
    errorCount: Number(row.error_count),
    spanCount: Number(row.span_count),
  };
}

/** The keyset cursor of the list (both stores): the last row's start and id, opaque to the client. */
export function encodeCursor(startNs: bigint, traceId: string): string {
  return Buffer.from(`${startNs}:${traceId}`).toString('base64url');
}

export function decodeCursor(cursor: string): { startNs: bigint; traceId: string } | undefined {
  const match = /^(\d{1,20}):([0-9a-f]{32})$/.exec(Buffer.from(cursor, 'base64url').toString());
  return match ? { startNs: BigInt(match[1]!), traceId: match[2]! } : undefined;
}
