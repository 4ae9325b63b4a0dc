import type { AttributeMap } from '@algorhythm/telemetry/otlp/decode';
import type { TraceDb } from './trace-db.ts';

export interface StoredSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  service: string;
  name: string;
  kind: number;
  /** Milliseconds since the epoch (microsecond precision); the exact nanoseconds beside it. */
  startTime: number;
  startTimeUnixNano: string;
  durationMs: number;
  status: { code: number; message: string | null };
  attributes: AttributeMap;
  events: Array<{ name: string; timeNs: string; attributes: AttributeMap }>;
}

/** Every stored span of one trace, by start time. */
export function getTrace(db: TraceDb, traceId: string): StoredSpan[] {
  const rows = db
    .prepare('SELECT * FROM span WHERE trace_id = ? ORDER BY start_ns, rowid')
    .safeIntegers(true)
    .all(traceId) as Array<Record<string, unknown>>;
  return rows.map((row) => {
    const startNs = row.start_ns as bigint;
    return {
      traceId: String(row.trace_id),
      spanId: String(row.span_id),
      parentSpanId: (row.parent_span_id as string | null) ?? null,
      service: String(row.service),
      name: String(row.name),
      kind: Number(row.kind),
      startTime: Number(startNs / 1000n) / 1000,
      startTimeUnixNano: startNs.toString(),
      durationMs: Number((row.duration_ns as bigint) / 1000n) / 1000,
      status: { code: Number(row.status_code), message: (row.status_message as string | null) ?? null },
      attributes: JSON.parse(String(row.attributes)) as AttributeMap,
      events: JSON.parse(String(row.events)) as StoredSpan['events'],
    };
  });
}
