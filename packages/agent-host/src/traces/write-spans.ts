import type { TraceDb } from './trace-db.ts';
import { foldSpan, type TraceRow } from './fold-trace.ts';
import { spanColumns } from './span-columns.ts';
import type { SpanRecord } from './span-record.ts';

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
      traces.set(span.traceId, foldSpan(old, span, c, duration));
    }
    for (const row of traces.values()) writeTrace.run(row);
    return written;
  });
}
