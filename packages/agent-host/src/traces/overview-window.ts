import type { OverviewWindow } from '@algorhythm/web/schemas';

/** A window cut into equal buckets; `fromMs` sits on a bucket boundary, so every bucket but the last is whole. */
export interface OverviewRange {
  fromMs: number;
  toMs: number;
  bucketMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// About 12 to 30 points per chart: enough to see a trend, few enough to read each bucket.
const WINDOWS: Record<OverviewWindow, { lengthMs: number; bucketMs: number }> = {
  '1h': { lengthMs: HOUR, bucketMs: 5 * MINUTE },
  '24h': { lengthMs: DAY, bucketMs: HOUR },
  '7d': { lengthMs: 7 * DAY, bucketMs: 6 * HOUR },
  '30d': { lengthMs: 30 * DAY, bucketMs: DAY },
};

/** The range a window covers, ending now; buckets are aligned to the epoch (UTC days for `30d`). */
export function overviewRange(window: OverviewWindow, nowMs: number): OverviewRange {
  const { lengthMs, bucketMs } = WINDOWS[window];
  return { fromMs: Math.floor((nowMs - lengthMs) / bucketMs) * bucketMs, toMs: nowMs, bucketMs };
}

export function bucketCount(range: OverviewRange): number {
  return Math.max(1, Math.ceil((range.toMs - range.fromMs) / range.bucketMs));
}
