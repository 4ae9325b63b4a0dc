/** Summary statistics of latency samples (milliseconds). */
export interface Summary {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, x) => sum + x, 0) / Math.max(1, sorted.length);
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p99: round(percentile(sorted, 99)),
    mean: round(mean),
    min: round(sorted[0] ?? Number.NaN),
    max: round(sorted.at(-1) ?? Number.NaN),
  };
}

/** Three significant-ish decimals for small numbers, one for large ones. */
export function round(x: number): number {
  if (!Number.isFinite(x)) return x;
  const digits = Math.abs(x) < 1 ? 3 : Math.abs(x) < 100 ? 2 : 1;
  return Number(x.toFixed(digits));
}

/** Runs `task` `count` times with at most `parallel` in flight; returns each run's duration in ms. */
export async function timed(count: number, parallel: number, task: (index: number) => Promise<unknown>): Promise<number[]> {
  const durations: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, count) }, async () => {
      for (let index = next++; index < count; index = next++) {
        const start = performance.now();
        await task(index);
        durations.push(performance.now() - start);
      }
    }),
  );
  return durations;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Bytes → MiB with one decimal. */
export const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
