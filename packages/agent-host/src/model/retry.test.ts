import { describe, expect, it } from 'vitest';
import { callWithRetry, DEFAULT_RETRY_POLICY, retryDelay, streamWithRetry } from './retry.ts';
import type { RetryClock } from './retry.ts';
import { ModelError } from './types.ts';
import type { StreamEvent } from './types.ts';

/** Virtual time: sleeps are recorded and advance the clock instantly. */
function virtualClock(random = 0.5): RetryClock & { waits: number[] } {
  let now = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    random: () => random,
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
  };
}

const httpError = (status: number, headers: Record<string, string> = {}) =>
  Object.assign(new Error(`HTTP ${status}`), { status, headers: new Headers(headers) });

describe('retryDelay', () => {
  const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
  it('grows exponentially with equal jitter and a cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(n, policy, 0))).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(n, policy, 1))).toEqual([100, 200, 400, 800, 1000]);
  });
  it("honours retry-after, plus at most 10% jitter", () => {
    expect(retryDelay(1, policy, 0, 3000)).toBe(3000);
    expect(retryDelay(1, policy, 1, 3000)).toBe(3300);
  });
});

describe('callWithRetry', () => {
  it('retries 429 and 5xx, waiting out retry-after', async () => {
    const clock = virtualClock(0);
    const failures = [httpError(429, { 'retry-after': '2' }), httpError(503)];
    const result = await callWithRetry({ provider: 'openai', clock, policy: { baseDelayMs: 100 } }, async () => {
      const failure = failures.shift();
      if (failure) throw failure;
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(clock.waits).toEqual([2000, 100]);
  });

  it('does not retry other 4xx', async () => {
    const clock = virtualClock();
    let calls = 0;
    const error = await callWithRetry({ provider: 'anthropic', clock }, async () => {
      calls++;
      throw httpError(422);
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'bad_request', status: 422, retryable: false, attempts: 1 });
    expect(calls).toBe(1);
    expect(clock.waits).toEqual([]);
  });

  it('stops at maxAttempts with the last error, retryable still true', async () => {
    const clock = virtualClock();
    let calls = 0;
    const error = await callWithRetry({ provider: 'gcp.gemini', clock, policy: { maxAttempts: 4 } }, async () => {
      calls++;
      throw httpError(500);
    }).catch((e: unknown) => e);
    expect(calls).toBe(4);
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ kind: 'server', retryable: true, attempts: 4, message: expect.stringContaining('(after 4 attempts)') });
  });

  it('gives up when a wait would overrun the total budget', async () => {
    const clock = virtualClock();
    let calls = 0;
    const error = await callWithRetry({ provider: 'openai', clock, policy: { maxTotalMs: 10_000 } }, async () => {
      calls++;
      throw httpError(429, { 'retry-after': '30' });
    }).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect(error).toMatchObject({ kind: 'rate_limit', retryAfterMs: 30_000 });
  });

  it('times out an attempt that never answers, then retries', async () => {
    let calls = 0;
    const result = await callWithRetry({ provider: 'openai', policy: { timeoutMs: 20, baseDelayMs: 1 } }, (attempt) => {
      calls++;
      if (calls === 1) return new Promise((_, reject) => attempt.signal.addEventListener('abort', () => reject(attempt.signal.reason)));
      return Promise.resolve('second');
    });
    expect(result).toBe('second');
  });

  it('a caller abort is final', async () => {
    const controller = new AbortController();
    const pending = callWithRetry({ provider: 'openai', signal: controller.signal }, (attempt) =>
      new Promise((_, reject) => attempt.signal.addEventListener('abort', () => reject(new Error('aborted')))),
    );
    controller.abort();
    await expect(pending).rejects.toMatchObject({ kind: 'aborted', retryable: false });
  });
});

describe('streamWithRetry', () => {
  const collect = async (stream: AsyncIterable<StreamEvent>) => {
    const events: StreamEvent[] = [];
    for await (const event of stream) events.push(event);
    return events;
  };

  it('retries a failure before any output, without repeating response-start', async () => {
    const clock = virtualClock();
    let calls = 0;
    const events = await collect(
      streamWithRetry({ provider: 'openai', clock }, async function* () {
        calls++;
        yield { type: 'response-start', id: `r${calls}`, model: 'm' };
        if (calls === 1) throw httpError(500);
        yield { type: 'text-delta', delta: 'hi' };
      }),
    );
    expect(events).toEqual([
      { type: 'response-start', id: 'r2', model: 'm' },
      { type: 'text-delta', delta: 'hi' },
    ]);
  });

  it('fails without retry once output was yielded', async () => {
    const clock = virtualClock();
    let calls = 0;
    const seen: StreamEvent[] = [];
    const error = await (async () => {
      for await (const event of streamWithRetry({ provider: 'anthropic', clock }, async function* () {
        calls++;
        yield { type: 'text-delta', delta: 'partial' } as StreamEvent;
        throw Object.assign(new TypeError('terminated'), { cause: { code: 'UND_ERR_SOCKET' } });
      })) seen.push(event);
    })().catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect(seen).toEqual([{ type: 'text-delta', delta: 'partial' }]);
    expect(error).toMatchObject({ name: 'ModelError', kind: 'network' });
  });
});
