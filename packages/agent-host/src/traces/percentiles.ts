import type { LatencyPercentiles } from '@algorhythm/web/schemas';

/**
 * Nearest-rank percentile of values sorted ascending (the smallest value with at least `q` of them at or below
 * it), so every answer is a value that was measured. Undefined for no values.
 */
export function percentile(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** P50, P95 and P99 of durations in milliseconds, sorted ascending; undefined for none. */
export function latencyPercentiles(sortedMs: readonly number[]): LatencyPercentiles | undefined {
  if (sortedMs.length === 0) return undefined;
  return {
    count: sortedMs.length,
    p50Ms: percentile(sortedMs, 0.5)!,
    p95Ms: percentile(sortedMs, 0.95)!,
    p99Ms: percentile(sortedMs, 0.99)!,
  };
}
