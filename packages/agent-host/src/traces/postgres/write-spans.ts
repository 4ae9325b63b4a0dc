import type { Pool } from 'pg';
import type { SpanRecord } from '../span-record.ts';
import { insertSpans } from './insert-spans.ts';
import { foldTraces, upsertTraces } from './upsert-traces.ts';

/**
 * Writes spans and keeps their traces' rows current in one transaction of two statements: the spans not
 * stored yet, then each trace's share of them merged into its row. A span seen twice (a retried export, to
 * this replica or another) is kept once and counted once. Returns how many spans were new.
 */
export async function writeSpans(pool: Pool, spans: readonly SpanRecord[]): Promise<number> {
  const fresh = uniqueValidSpans(spans);
  if (fresh.length === 0) return 0;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const bytes = new Map((await insertSpans(client, fresh)).map((row) => [`${row.trace_id}:${row.span_id}`, row.bytes]));
    const bytesOf = (span: SpanRecord) => bytes.get(`${span.traceId}:${span.spanId}`);
    const stored = fresh.filter((span) => bytesOf(span) !== undefined);
    if (stored.length > 0) await upsertTraces(client, foldTraces(stored, (span) => bytesOf(span)!));
    await client.query('COMMIT');
    return stored.length;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** As SQLite's writer skips them: malformed ids, and a key seen earlier in the same batch (the first is kept). */
function uniqueValidSpans(spans: readonly SpanRecord[]): SpanRecord[] {
  const seen = new Set<string>();
  return spans.filter((span) => {
    const key = `${span.traceId}:${span.spanId}`;
    if (!/^[0-9a-f]{32}$/.test(span.traceId) || !/^[0-9a-f]{16}$/.test(span.spanId) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
