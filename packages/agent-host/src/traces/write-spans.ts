import type { TraceDb } from './trace-db.ts';
import { spanColumns, type SpanColumns } from './span-columns.ts';
import type { SpanRecord } from './span-record.ts';

interface TraceRow {
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

/** Sets kept as `,a,b,` so a filter is one `instr(agents, ',x,')` with no LIKE escaping. */
const addTo = (set: string, value: string | null): string =>
  !value || set.includes(`,${value},`) ? set : `${set || ','}${value},`;

/**
 * Writes spans and keeps their traces' summary rows current, all in one transaction. A span seen
 * twice (a retried export) is kept once and counted once.
 */
export function createSpanWriter(db: TraceDb): (spans: readonly SpanRecord[]) => number {
  const insertSpan = db.prepare(
    `INSERT OR IGNORE INTO span (trace_id, span_id, parent_span_id, service, name, kind, start_ns, end_ns, duration_ns,
       status_code, status_message, attributes, events, conversation_id, agent, model, tool, input_tokens, output_tokens, cost_usd, error)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const readTrace = db.prepare('SELECT * FROM trace WHERE trace_id = ?').safeIntegers(true);
  const writeTrace = db.prepare(
    `INSERT OR REPLACE INTO trace (trace_id, start_ns, end_ns, root_name, root_service, root_duration_ns, conversation_id, route,
       agents, models, tools, services, input_tokens, output_tokens, cost_usd, error_count, span_count)
     VALUES (@trace_id, @start_ns, @end_ns, @root_name, @root_service, @root_duration_ns, @conversation_id, @route,
       @agents, @models, @tools, @services, @input_tokens, @output_tokens, @cost_usd, @error_count, @span_count)`,
  );
  // Spans are inserted one by one (a retried export's duplicates are skipped), then each trace's summary row
  // is read and written once per batch, not once per span: a batch holds whole turns.
  const fold = (old: TraceRow | undefined, span: SpanRecord, c: SpanColumns, duration: bigint): TraceRow => {
    const root = span.parentSpanId === undefined;
    return {
      trace_id: span.traceId,
      start_ns: old && old.start_ns < span.startNs ? old.start_ns : span.startNs,
      end_ns: old && old.end_ns > span.endNs ? old.end_ns : span.endNs,
      root_name: root ? span.name : (old?.root_name ?? null),
      root_service: root ? span.service : (old?.root_service ?? null),
      root_duration_ns: root ? duration : (old?.root_duration_ns ?? null),
      conversation_id: old?.conversation_id ?? c.conversationId,
      route: old?.route ?? c.route,
      agents: addTo(old?.agents ?? '', c.agent),
      models: addTo(old?.models ?? '', c.model),
      tools: addTo(old?.tools ?? '', c.tool),
      services: addTo(old?.services ?? '', span.service),
      input_tokens: Number(old?.input_tokens ?? 0) + c.inputTokens,
      output_tokens: Number(old?.output_tokens ?? 0) + c.outputTokens,
      cost_usd: Number(old?.cost_usd ?? 0) + c.costUsd,
      error_count: Number(old?.error_count ?? 0) + (c.error ? 1 : 0),
      span_count: Number(old?.span_count ?? 0) + 1,
    };
  };
  return db.transaction((spans: readonly SpanRecord[]) => {
    const traces = new Map<string, TraceRow | undefined>();
    let written = 0;
    for (const span of spans) {
      if (!/^[0-9a-f]{32}$/.test(span.traceId) || !/^[0-9a-f]{16}$/.test(span.spanId)) continue;
      const c = spanColumns(span);
      const duration = span.endNs > span.startNs ? span.endNs - span.startNs : 0n;
      const inserted = insertSpan.run(
        span.traceId, span.spanId, span.parentSpanId ?? null, span.service, span.name, span.kind,
        span.startNs, span.endNs, duration, span.statusCode, span.statusMessage ?? null,
        JSON.stringify(span.attributes), JSON.stringify(span.events),
        c.conversationId, c.agent, c.model, c.tool, c.inputTokens, c.outputTokens, c.costUsd, c.error ? 1 : 0,
      );
      if (inserted.changes === 0) continue;
      written++;
      const old = traces.has(span.traceId) ? traces.get(span.traceId) : (readTrace.get(span.traceId) as TraceRow | undefined);
      traces.set(span.traceId, fold(old, span, c, duration));
    }
    for (const row of traces.values()) writeTrace.run(row);
    return written;
  });
}
