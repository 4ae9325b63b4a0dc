import { describe, expect, it } from 'vitest';
import { BadResponseError, parseRetryAfter, scrub, toModelError } from './errors.ts';

describe('toModelError', () => {
  it.each([
    [429, 'rate_limit', true],
    [408, 'timeout', true],
    [401, 'auth', false],
    [403, 'auth', false],
    [400, 'bad_request', false],
    [404, 'bad_request', false],
    [500, 'server', true],
    [503, 'server', true],
    [529, 'server', true],
  ])('HTTP %i → %s (retryable: %s)', (status, kind, retryable) => {
    expect(toModelError('openai', Object.assign(new Error('x'), { status }))).toMatchObject({ kind, retryable, status });
  });

  it('an Anthropic in-stream error event has a type but no status', () => {
    const error = Object.assign(new Error('Overloaded'), { status: undefined, error: { type: 'error', error: { type: 'overloaded_error' } } });
    expect(toModelError('anthropic', error)).toMatchObject({ kind: 'server', retryable: true });
  });

  it('network failures, malformed data, timeouts and aborts', () => {
    expect(toModelError('openai', new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }))).toMatchObject({ kind: 'network', retryable: true });
    expect(toModelError('openai', new SyntaxError('Unexpected end of JSON input'))).toMatchObject({ kind: 'bad_response', retryable: false });
    expect(toModelError('openai', new BadResponseError('cut'))).toMatchObject({ kind: 'bad_response' });
    expect(toModelError('openai', new Error('x'), { timedOut: true })).toMatchObject({ kind: 'timeout', retryable: true });
    expect(toModelError('openai', new Error('x'), { aborted: true })).toMatchObject({ kind: 'aborted', retryable: false });
  });

  it("takes Gemini's retryDelay from the error body", () => {
    const error = Object.assign(new Error('{"error":{"code":429,"details":[{"retryDelay":"12s"}]}}'), { status: 429 });
    expect(toModelError('gcp.gemini', error).retryAfterMs).toBe(12_000);
  });

  it('scrubs keys from messages', () => {
    const error = Object.assign(new Error('Incorrect API key provided: sk-proj-abcdef123456. And my-own-secret'), { status: 401 });
    const mapped = toModelError('openai', error, { secrets: ['my-own-secret'] });
    expect(mapped.message).toBe('openai 401: Incorrect API key provided: [redacted]. And [redacted]');
    expect(scrub('key AIzaSyA1234567890abcdefghijkl', [])).toBe('key [redacted]');
  });
});

describe('parseRetryAfter', () => {
  it('reads retry-after-ms, seconds and HTTP dates', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '250' }))).toBe(250);
    expect(parseRetryAfter(new Headers({ 'retry-after': '1.5' }))).toBe(1500);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Wed, 21 Oct 2015 07:28:10 GMT' }), Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});
