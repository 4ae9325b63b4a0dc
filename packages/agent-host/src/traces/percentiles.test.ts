import { describe, expect, it } from 'vitest';
import { latencyPercentiles, percentile } from './percentiles.ts';

describe('percentile (nearest rank)', () => {
  it('is a measured value: the smallest with at least q of the values at or below it', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(hundred, 0.5)).toBe(50);
    expect(percentile(hundred, 0.95)).toBe(95);
    expect(percentile(hundred, 0.99)).toBe(99);
    expect(percentile([10, 20, 30, 40], 0.5)).toBe(20);
    expect(percentile([10, 20, 30, 40], 0.51)).toBe(30);
  });

  it('gives the one value for one value, the extremes at 0 and 1, and nothing for none', () => {
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([1, 2, 3], 0)).toBe(1);
    expect(percentile([1, 2, 3], 1)).toBe(3);
    expect(percentile([], 0.5)).toBeUndefined();
  });

  it('summarizes durations as P50/P95/P99 with their count', () => {
    expect(latencyPercentiles([5, 1000])).toEqual({ count: 2, p50Ms: 5, p95Ms: 1000, p99Ms: 1000 });
    expect(latencyPercentiles([])).toBeUndefined();
  });
});
