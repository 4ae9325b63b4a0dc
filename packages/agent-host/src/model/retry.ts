import { toModelError } from './errors.ts';
import type { FailureContext } from './errors.ts';
import { ModelError } from './types.ts';
import type { ProviderName, StreamEvent } from './types.ts';

/**
 * The one retry policy for every vendor (the SDKs' own retry loops are switched off): exponential
 * backoff with jitter, `retry-after` honoured on 429/5xx, no retry on other 4xx, bounded attempts and
 * total time, and a per-attempt timeout (for streams: the longest silence between two chunks).
 */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Backoff before the first retry; doubles each time. */
  baseDelayMs: number;
  /** Cap on one backoff wait (a vendor's `retry-after` may ask for longer, within `maxTotalMs`). */
  maxDelayMs: number;
  /** Budget for the whole call, waits included: no retry starts that could not finish waiting in it. */
  maxTotalMs: number;
  /** Per attempt; for streams, reset by every chunk received. */
  timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxTotalMs: 90_000,
  timeoutMs: 60_000,
};

/** Test seams: virtual time and randomness. */
export interface RetryClock {
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  random(): number;
  now(): number;
}

export const systemClock: RetryClock = {
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
  random: Math.random,
  now: Date.now,
};

/** What one attempt gets: its own signal (caller abort + timeout), and `touch()` to reset an idle timeout. */
export interface AttemptContext {
  signal: AbortSignal;
  attempt: number;
  touch(): void;
  /** Lets an adapter hand over response headers its SDK's errors drop (for `retry-after`). */
  observeResponse(response: Response): void;
}

export interface RetryOptions {
  provider: ProviderName;
  policy?: Partial<RetryPolicy>;
  signal?: AbortSignal;
  clock?: RetryClock;
  secrets?: readonly string[];
}

/**
 * Wait before retry number `retry` (1-based). Without `retry-after`: exponential backoff with equal
 * jitter (half fixed, half random), so waits spread out but never collapse to zero. With it: the
 * vendor's wait plus up to 10% jitter, so clients told the same value don't return in lockstep.
 */
export function retryDelay(retry: number, policy: RetryPolicy, random: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return retryAfterMs + Math.round(retryAfterMs * 0.1 * random);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

/** Runs `attempt` under the policy; every failure ends as a ModelError. */
export async function callWithRetry<T>(options: RetryOptions, attempt: (context: AttemptContext) => Promise<T>): Promise<T> {
  const run = createRun(options);
  for (let number = 1; ; number++) {
    const scope = run.startAttempt(number);
    try {
      return await attempt(scope.context);
    } catch (error) {
      await run.afterFailure(number, scope.fail(error));
    } finally {
      scope.dispose();
    }
  }
}

/**
 * Streams with the policy. A failure before any output event (text or tool call) is retried
 * transparently; once output was yielded the stream fails with the ModelError, unretried.
 * `response-start` is held back until the first output so a retried attempt shows no duplicate.
 */
export async function* streamWithRetry(
  options: RetryOptions,
  attempt: (context: AttemptContext) => AsyncIterable<StreamEvent>,
): AsyncIterable<StreamEvent> {
  const run = createRun(options);
  for (let number = 1; ; number++) {
    const scope = run.startAttempt(number);
    let started: StreamEvent | undefined;
    let output = false;
    try {
      for await (const event of attempt(scope.context)) {
        scope.context.touch();
        if (event.type === 'response-start' && !output) {
          started = event;
          continue;
        }
        if (!output && started) yield started;
        output = true;
        yield event;
      }
      // Some SDKs end an aborted stream quietly; the caller must still see why it stopped.
      if (scope.context.signal.aborted) throw scope.context.signal.reason;
      return;
    } catch (error) {
      const failure = scope.fail(error);
      if (output) throw failure;
      await run.afterFailure(number, failure);
    } finally {
      scope.dispose();
    }
  }
}

function createRun(options: RetryOptions) {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  const clock = options.clock ?? systemClock;
  const startedAt = clock.now();
  return {
    startAttempt(number: number) {
      return startAttempt({ number, policy, options, clock });
    },
    /** Throws the final error, or waits out the backoff before the next attempt. */
    async afterFailure(number: number, error: ModelError): Promise<void> {
      if (!error.retryable || number >= policy.maxAttempts) throw withAttempts(error, number);
      const wait = retryDelay(number, policy, clock.random(), error.retryAfterMs);
      if (clock.now() - startedAt + wait > policy.maxTotalMs) throw withAttempts(error, number);
      try {
        await clock.sleep(wait, options.signal);
      } catch (reason) {
        throw toModelError(options.provider, reason, { aborted: true });
      }
    },
  };
}

function startAttempt(args: { number: number; policy: RetryPolicy; options: RetryOptions; clock: RetryClock }) {
  const { policy, options } = args;
  const controller = new AbortController();
  let timedOut = false;
  let responseHeaders: Headers | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error(`attempt timed out after ${policy.timeoutMs} ms`));
    }, policy.timeoutMs);
  };
  const onParentAbort = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) controller.abort(options.signal.reason);
  else options.signal?.addEventListener('abort', onParentAbort, { once: true });
  arm();

  const context: AttemptContext = {
    signal: controller.signal,
    attempt: args.number,
    touch: () => {
      if (!controller.signal.aborted) arm();
    },
    observeResponse: (response) => {
      responseHeaders = response.headers;
    },
  };
  return {
    context,
    fail(error: unknown): ModelError {
      const failure: FailureContext = {
        timedOut: timedOut && !options.signal?.aborted,
        aborted: options.signal?.aborted === true,
        ...(responseHeaders ? { responseHeaders } : {}),
        ...(options.secrets ? { secrets: options.secrets } : {}),
      };
      return toModelError(options.provider, error, failure);
    },
    dispose() {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onParentAbort);
    },
  };
}

function withAttempts(error: ModelError, attempts: number): ModelError {
  if (error.attempts === attempts) return error;
  return new ModelError({
    provider: error.provider,
    kind: error.kind,
    message: attempts > 1 ? `${error.message} (after ${attempts} attempts)` : error.message,
    retryable: error.retryable,
    ...(error.status !== undefined ? { status: error.status } : {}),
    ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
    attempts,
    cause: error.cause,
  });
}
