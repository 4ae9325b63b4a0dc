import { setImmediate as nextTick } from 'node:timers/promises';
import type { TraceDb } from './trace-db.ts';
import { pruneBatch, type Retention } from './prune-traces.ts';

export interface RetentionTimerOptions {
  db: TraceDb;
  retention: Retention;
  everyMs: number;
  clock: () => number;
  log: (line: string) => void;
  /** Batches per tick at most; the rest waits for the next tick. */
  maxBatches?: number;
}

/**
 * Enforces retention on a timer, one small batch at a time with the event loop free in between, so a
 * backlog (a week of spans expiring at once, a lowered size limit) never stalls requests.
 */
export function startRetentionTimer({ db, retention, everyMs, clock, log, maxBatches = 20 }: RetentionTimerOptions) {
  let running: Promise<void> | undefined;
  const pass = async () => {
    try {
      for (let i = 0; i < maxBatches; i++) {
        if (pruneBatch(db, retention, { now: clock() }) === 0) break;
        await nextTick();
      }
    } catch (error) {
      log(`trace retention failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const tick = (): Promise<void> => {
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  return {
    /** Runs a full pass now, after the one under way if any (start-up; tests). */
    async runNow() {
      await running;
      return tick();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
