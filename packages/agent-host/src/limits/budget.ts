import type { MiddlewareHandler } from 'hono';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { LIMIT } from '@algorhythm/telemetry';
import { waitInWords, type Refuse } from './refusal.ts';

/** Spend is counted in millionths of a dollar: the counters are integers. */
export const MICRO_USD = 1_000_000;
/** A day's row outlives its day; the key, not the expiry, starts the next one. */
export const BUDGET_ROW_SECONDS = 2 * 86_400;

export interface BudgetOptions {
  /** Points: the daily budget in micro-USD (`BUDGET_ROW_SECONDS` long). */
  limiter: RateLimiterAbstract;
  dailyUsd: number;
  /** Which day it is (UTC), and so when the budget renews. */
  clock: () => Date;
  refuse: Refuse;
  log?: (line: string) => void;
}

export interface Budget {
  /** After the customer's session: a turn is refused once today's estimated spend reached the budget. */
  check: MiddlewareHandler;
  /** Adds one model call's estimated cost to the customer's day. Never throws: a lost charge is logged. */
  charge(customerId: number, usd: number): Promise<void>;
  spentUsd(customerId: number): Promise<number>;
}

/**
 * A per-customer daily budget in estimated model cost, per UTC day. Checked before a turn, charged after
 * each model call, so a turn that starts under budget finishes (the customer never gets half an answer)
 * and the next one is refused.
 */
export function createBudget({ limiter, dailyUsd, clock, refuse, log = () => {} }: BudgetOptions): Budget {
  const keyOf = (customerId: number) => `${customerId}:${clock().toISOString().slice(0, 10)}`;
  const spentUsd = async (customerId: number) => ((await limiter.get(keyOf(customerId)))?.consumedPoints ?? 0) / MICRO_USD;
  const allowance = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 4 }).format(dailyUsd);

  return {
    spentUsd,
    async charge(customerId, usd) {
      // Rounded up: a call that cost anything costs at least a millionth.
      const points = Math.ceil(usd * MICRO_USD);
      if (!(points > 0)) return;
      await limiter.penalty(keyOf(customerId), points).catch((error: unknown) => {
        log(`limits: ${usd} USD not charged to customer ${customerId}: ${error instanceof Error ? error.message : String(error)}`);
      });
    },
    check: async function budgetChecked(c, next) {
      const customerId = c.get('customerId');
      let spent = 0;
      try {
        spent = await spentUsd(customerId);
      } catch (error) {
        log(`limits: budget of customer ${customerId} not checked: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (spent >= dailyUsd) {
        const retryAfterSeconds = secondsToNextUtcDay(clock());
        return refuse(c, {
          limit: LIMIT.dailyBudget,
          retryAfterSeconds,
          message: `You have used today's assistant allowance (${allowance} of estimated model cost). It renews at midnight UTC, in ${waitInWords(retryAfterSeconds)}.`,
        });
      }
      await next();
    },
  };
}

export function secondsToNextUtcDay(now: Date): number {
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.ceil((next - now.getTime()) / 1000);
}
