import { setImmediate as nextTick } from 'node:timers/promises';

export interface RetentionTimerOptions {
  /** Deletes one small batch (its own short transaction); how many traces went. */
  pruneBatch: (now: number) => number | Promise<number>;
  everyMs: number;
  clock: () => number;
  log: (line: string) => void;
  /** Batches per tick at most; the rest waits for the next tick. */
  maxBatches?: number;
  /** Runs each pass inside this (PostgreSQL: with tracing suppressed, so pruning makes no spans). */
  around?: <T>(pass: () => Promise<T>) => Promise<T>;
}

/**
 * Enforces retention on a timer, one small batch at a time with the event loop free in between, so a
 * backlog (a week of spans expiring at once, a lowered size limit) never stalls requests. On PostgreSQL
 * every replica ticks and the batch's try-lock lets one prune.
 */
export function startRetentionTimer({ pruneBatch, everyMs, clock, log, maxBatches = 20, around = (pass) => pass() }: RetentionTimerOptions) {
  let running: Promise<void> | undefined;
  const pass = () =>
    around(async () => {
      try {
        for (let i = 0; i < maxBatches; i++) {
          if ((await pruneBatch(clock())) === 0) break;
          await nextTick();
        }
      } catch (error) {
        log(`trace retention failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
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
