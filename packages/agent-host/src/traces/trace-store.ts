import type { TraceOverview } from '@algorhythm/web/schemas';
import { getTrace, type StoredSpan } from './get-trace.ts';
import { listTraces, type TraceFilter, type TracePage } from './list-traces.ts';
import { readOverview } from './overview-sqlite.ts';
import type { OverviewRange } from './overview-window.ts';
import { pruneBatch, usedBytes, type Retention } from './prune-traces.ts';
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

/**
 * The host's span store: spans in, trace list and trace detail out, retention on a timer. SQLite here, PostgreSQL
 * in postgres/ (open-trace-store.ts picks one); both pass trace-store-contract.ts.
 */
export interface TraceStore {
  write(spans: readonly SpanRecord[]): Promise<number>;
  list(filter: TraceFilter): Promise<TracePage>;
  get(traceId: string): Promise<StoredSpan[]>;
  /** The dashboard's key panels over a range (cost, tokens, latency, routes, tools), bucketed. */
  overview(range: OverviewRange): Promise<TraceOverview>;
  usedBytes(): Promise<number>;
  /** One retention pass now (normally on the timer). */
  prune(): Promise<void>;
  close(): Promise<void>;
}

export function openTraceStore(path: string, options: TraceStoreOptions): TraceStore {
  const db = openTraceDb(path);
  const write = createSpanWriter(db);
  const retention = startRetentionTimer({
    pruneBatch: (now) => pruneBatch(db, options.retention, { now }),
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
    overview: async (range) => readOverview(db, range),
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
