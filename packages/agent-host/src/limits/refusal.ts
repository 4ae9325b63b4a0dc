import { trace, type Counter, type Meter } from '@opentelemetry/api';
import { ATTR, LIMIT, METRIC, SPAN_EVENT } from '@algorhythm/telemetry';
import type { Context } from 'hono';
import { signInProblem } from '../http/sign-in-problem.ts';

export type LimitName = (typeof LIMIT)[keyof typeof LIMIT];

/** Answers a request an abuse limit refused, and records that it did. */
export type Refuse = (c: Context, refusal: { limit: LimitName; retryAfterSeconds: number; message: string }) => Response | Promise<Response>;

/**
 * 429 `{error}` with Retry-After, or the same sentence as a page to a browser following a sign-in redirect; the
 * request's SERVER span gets the limit's name (attribute and event), and `algorhythm.limit.hits` counts it.
 * Nothing else happens: a limit is checked before anything is created.
 */
export function createRefuse(meter: Meter): Refuse {
  const hits: Counter = meter.createCounter(METRIC.algorhythmLimitHits, {
    description: 'Requests refused by an abuse limit.',
    unit: '{request}',
  });
  return (c, { limit, retryAfterSeconds, message }) => {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    hits.add(1, { [ATTR.algorhythmLimitName]: limit });
    const span = trace.getActiveSpan();
    span?.setAttribute(ATTR.algorhythmLimitName, limit);
    span?.addEvent(SPAN_EVENT.limitHit, { [ATTR.algorhythmLimitName]: limit, [ATTR.algorhythmLimitRetryAfter]: seconds });
    const navigation = c.req.method === 'GET' && (c.req.header('accept') ?? '').includes('text/html');
    c.header('Retry-After', String(seconds));
    return navigation ? signInProblem(c, 429, message) : c.json({ error: message }, 429);
  };
}

/** "34 seconds", "2 minutes", "5 hours 12 minutes": how long to wait, for the customer. */
export function waitInWords(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (s < 60) return unit(s, 'second');
  const minutes = Math.ceil(s / 60);
  if (minutes < 60) return unit(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${unit(hours, 'hour')} ${unit(rest, 'minute')}` : unit(hours, 'hour');
}

/** "a minute" for the default window, else "10 seconds". */
export function windowInWords(seconds: number): string {
  return seconds === 60 ? 'a minute' : waitInWords(seconds);
}
