import { getTrace, type StoredSpan } from './get-trace.ts';
import { listTraces, type TraceFilter, type TracePage } from './list-traces.ts';
import { usedBytes, type Retention } from './prune-traces.ts';
import { startRetentionTimer } from './retention-timer.ts';
import { openTraceDb } from './trace-db.ts';
import type { SpanRecord } from './span-record.ts';
import { createSpanWriter } from './write-spans.ts';

export interface TraceStoreOptions {
  retention: Retention;
  pruneEveryMs: number;
  clock?: () => number;
  log?: (line: string) => void;
}

/** The host's span store: spans in, trace list and trace detail out, retention on a timer. */
export interface TraceStore {
  write(spans: readonly SpanRecord[]): Promise<number>;
  list(filter: TraceFilter): Promise<TracePage>;
  get(traceId: string): Promise<StoredSpan[]>;
  usedBytes(): Promise<number>;
  /** One retention pass now (normally on the timer). */
  prune(): Promise<void>;
  close(): Promise<void>;
}

export function openTraceStore(path: string, options: TraceStoreOptions): TraceStore {
  const db = openTraceDb(path);
  const write = createSpanWriter(db);
  const retention = startRetentionTimer({
    db,
    retention: options.retention,
    everyMs: options.pruneEveryMs,
    clock: options.clock ?? Date.now,
    log: options.log ?? (() => {}),
  });
  void retention.runNow();
  let closed = false;
  return {
    write: async (spans) => (closed || spans.length === 0 ? 0 : write(spans)),
    list: async (filter) => listTraces(db, filter),
    get: async (traceId) => getTrace(db, traceId),
    usedBytes: async () => usedBytes(db),
    prune: () => retention.runNow(),
    async close() {
      if (closed) return;
      closed = true;
      await retention.stop();
      db.close();
    },
  };
}
