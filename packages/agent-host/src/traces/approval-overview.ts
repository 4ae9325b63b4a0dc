import type { ApprovalOverview } from '@algorhythm/web/schemas';
import type { ApprovalActivity } from '../store/types.ts';
import { percentile } from './percentiles.ts';

/** The overview's approval numbers from the host's records: waiting now, and how long decisions took. */
export function summarizeApprovals(activity: ApprovalActivity): ApprovalOverview {
  const seconds = activity.decisions
    .map((d) => (Date.parse(d.decidedAt) - Date.parse(d.createdAt)) / 1000)
    .sort((a, b) => a - b);
  return {
    waiting: activity.waiting,
    decided: seconds.length,
    timeToDecision: { p50Seconds: percentile(seconds, 0.5) ?? null, p95Seconds: percentile(seconds, 0.95) ?? null },
  };
}
