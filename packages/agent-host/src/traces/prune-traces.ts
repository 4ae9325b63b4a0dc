import type { TraceDb } from './trace-db.ts';

export interface Retention {
  maxAgeMs: number;
  maxBytes: number;
}

/** Bytes the store's pages hold (free pages excluded: they are reused, or handed back below). */
export function usedBytes(db: TraceDb): number {
  const pages = db.pragma('page_count', { simple: true }) as number;
  const free = db.pragma('freelist_count', { simple: true }) as number;
  const size = db.pragma('page_size', { simple: true }) as number;
  return (pages - free) * size;
}

/**
 * Deletes one small batch of whole traces: those older than the age limit, or else the oldest ones while
 * the store is over its size limit. Returns how many traces went, so the caller runs another batch
 * later (not in a loop: each batch is one short write transaction, and requests get the lock in between).
 */
export function pruneBatch(db: TraceDb, retention: Retention, options: { now: number; batch?: number }): number {
  const batch = options.batch ?? 200;
  const cutoffNs = BigInt(Math.max(0, Math.floor(options.now - retention.maxAgeMs))) * 1_000_000n;
  let ids = db.prepare('SELECT trace_id FROM trace WHERE start_ns < ? ORDER BY start_ns LIMIT ?').pluck().all(cutoffNs, batch) as string[];
  if (ids.length === 0 && usedBytes(db) > retention.maxBytes) {
    // Smaller steps here: the limit is approached from just above, and each step re-measures.
    ids = db.prepare('SELECT trace_id FROM trace ORDER BY start_ns LIMIT ?').pluck().all(Math.ceil(batch / 4)) as string[];
  }
  if (ids.length === 0) return 0;
  const removeSpans = db.prepare('DELETE FROM span WHERE trace_id = ?');
  const removeTrace = db.prepare('DELETE FROM trace WHERE trace_id = ?');
  db.transaction(() => {
    for (const id of ids) {
      removeSpans.run(id);
      removeTrace.run(id);
    }
  })();
  // Give freed pages back to the file system a few at a time (auto_vacuum = INCREMENTAL).
  db.pragma('incremental_vacuum(2000)');
  return ids.length;
}
