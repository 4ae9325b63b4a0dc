import type { Context, MiddlewareHandler } from 'hono';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LimitName, Refuse } from './refusal.ts';

export interface RateLimitOptions {
  limiter: RateLimiterAbstract;
  limit: LimitName;
  /** Whose count this request adds to (a customer id, an address); undefined → not limited. */
  key: (c: Context) => string | undefined;
  /** The sentence the customer reads, given how long to wait. */
  message: (retryAfterSeconds: number) => string;
  refuse: Refuse;
  log?: (line: string) => void;
}

/**
 * One point per request on the caller's key; past the limit, 429 before the route runs. A counter that
 * cannot be reached (database down) lets the request through: limits guard against abuse, they should not
 * turn an outage of theirs into one of the shop.
 */
export function rateLimit({ limiter, limit, key, message, refuse, log = () => {} }: RateLimitOptions): MiddlewareHandler {
  return async function rateLimited(c, next) {
    const who = key(c);
    if (who !== undefined) {
      try {
        await limiter.consume(who);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) {
          log(`limits: ${limit} not checked: ${rejection instanceof Error ? rejection.message : String(rejection)}`);
        } else {
          const retryAfterSeconds = rejection.msBeforeNext / 1000;
          return refuse(c, { limit, retryAfterSeconds, message: message(retryAfterSeconds) });
        }
      }
    }
    await next();
  };
}
