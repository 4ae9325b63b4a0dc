import type { Context, MiddlewareHandler } from 'hono';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LimitName, Refuse } from './refusal.ts';

export interface LimitCheckOptions {
  limiter: RateLimiterAbstract;
  limit: LimitName;
  /** The sentence the customer reads, given how long to wait. */
  message: (retryAfterSeconds: number) => string;
  refuse: Refuse;
  log?: (line: string) => void;
}

export interface RateLimitOptions extends LimitCheckOptions {
  /** Whose count this request adds to (a customer id, an address); undefined → not limited. */
  key: (c: Context) => string | undefined;
}

/** Counts one point on `who`; past the limit, the refusal to answer with instead. */
export type LimitCheck = (c: Context, who: string) => Promise<Response | undefined>;

/**
 * One point per request on the caller's key. A counter that cannot be reached (database down) lets the
 * request through: limits guard against abuse, they should not turn an outage of theirs into one of the shop.
 */
export function limitCheck({ limiter, limit, message, refuse, log = () => {} }: LimitCheckOptions): LimitCheck {
  return async (c, who) => {
    try {
      await limiter.consume(who);
      return undefined;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) {
        log(`limits: ${limit} not checked: ${rejection instanceof Error ? rejection.message : String(rejection)}`);
        return undefined;
      }
      const retryAfterSeconds = rejection.msBeforeNext / 1000;
      return refuse(c, { limit, retryAfterSeconds, message: message(retryAfterSeconds) });
    }
  };
}

/** `limitCheck` before the route, keyed by the request: past the limit, 429 and the route never runs. */
export function rateLimit({ key, ...options }: RateLimitOptions): MiddlewareHandler {
  const check = limitCheck(options);
  return async function rateLimited(c, next) {
    const who = key(c);
    const refused = who === undefined ? undefined : await check(c, who);
    if (refused) return refused;
    await next();
  };
}
