import type { Pool } from 'pg';
import type { AttributeMap } from '@algorhythm/telemetry/otlp/decode';
import type { StoredSpan } from '../get-trace.ts';

/** A `span` row as the pool reads it (int8 as bigint, `json` parsed). */
interface SpanRow {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  service: string;
  name: string;
  kind: number;
  start_ns: bigint;
  duration_ns: bigint;
  status_code: number;
  status_message: string | null;
  attributes: AttributeMap;
  events: StoredSpan['events'];
}

/** Every stored span of one trace, by start time, then arrival (as ../get-trace.ts). */
export async function getTrace(pool: Pool, traceId: string): Promise<StoredSpan[]> {
  const { rows } = await pool.query<SpanRow>('SELECT * FROM span WHERE trace_id = $1 ORDER BY start_ns, seq', [traceId]);
  return rows.map((row) => ({
    traceId: row.trace_id,
    spanId: row.span_id,
    parentSpanId: row.parent_span_id,
    service: row.service,
    name: row.name,
    kind: row.kind,
    startTime: Number(row.start_ns / 1000n) / 1000,
    startTimeUnixNano: row.start_ns.toString(),
    durationMs: Number(row.duration_ns / 1000n) / 1000,
    status: { code: row.status_code, message: row.status_message },
    attributes: row.attributes,
    events: row.events,
  }));
}
