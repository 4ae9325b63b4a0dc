import { describe, expect, it } from 'vitest';
import { summarizeApprovals } from './approval-overview.ts';

const T0 = Date.parse('2026-12-04T12:00:00.000Z');
const decision = (waitedSeconds: number) => ({ createdAt: new Date(T0).toISOString(), decidedAt: new Date(T0 + waitedSeconds * 1000).toISOString() });

describe('approval overview', () => {
  it('gives the waiting count and the P50/P95 seconds from request to decision', () => {
    const decisions = [30, 10, 20, 600].map(decision);
    expect(summarizeApprovals({ waiting: 2, decisions })).toEqual({ waiting: 2, decided: 4, timeToDecision: { p50Seconds: 20, p95Seconds: 600 } });
  });

  it('has no times when nothing was decided', () => {
    expect(summarizeApprovals({ waiting: 0, decisions: [] })).toEqual({ waiting: 0, decided: 0, timeToDecision: { p50Seconds: null, p95Seconds: null } });
  });
});
