import { ModelError } from './types.ts';
import type { ModelErrorKind, ProviderName } from './types.ts';

/** What the retry wrapper knows about a failed attempt besides the error itself. */
export interface FailureContext {
  /** The attempt's own timer fired (per-attempt or idle timeout). */
  timedOut?: boolean;
  /** The caller's signal was aborted. */
  aborted?: boolean;
  /** Headers of the last HTTP response seen, for SDKs whose errors don't carry them (Gemini). */
  responseHeaders?: Headers;
  /** Secrets to scrub from any message (the adapter's API key). */
  secrets?: readonly string[];
}

/** Thrown by our own stream reassemblers when the vendor's output does not make sense. */
export class BadResponseError extends Error {
  override readonly name = 'BadResponseError';
}

const MAX_MESSAGE = 300;

/** Maps any SDK, fetch or reassembly failure to the one ModelError the loop reports. */
export function toModelError(provider: ProviderName, error: unknown, context: FailureContext = {}): ModelError {
  if (error instanceof ModelError) return error;
  const base = { provider, cause: error };
  const detail = scrub(describe(error), context.secrets ?? []);
  if (context.aborted) {
    return new ModelError({ ...base, kind: 'aborted', message: `${provider}: request aborted` });
  }
  if (context.timedOut) {
    return new ModelError({ ...base, kind: 'timeout', retryable: true, message: `${provider}: request timed out` });
  }
  const status = statusOf(error);
  const retryAfterMs = parseRetryAfter(headersOf(error) ?? context.responseHeaders) ?? retryDelayInBody(detail);
  if (status !== undefined) {
    const kind = kindForStatus(status);
    return new ModelError({
      ...base,
      kind,
      status,
      retryable: kind === 'rate_limit' || kind === 'server' || kind === 'timeout',
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      message: `${provider} ${status}: ${detail}`,
    });
  }
  // Errors sent inside an open stream (Anthropic `event: error`) carry a type but no status.
  const streamKind = kindForErrorType(errorTypeOf(error));
  if (streamKind) {
    return new ModelError({ ...base, kind: streamKind, retryable: streamKind !== 'bad_request', message: `${provider}: ${detail}` });
  }
  if (error instanceof BadResponseError || error instanceof SyntaxError || /json|parse/i.test(detail)) {
    return new ModelError({ ...base, kind: 'bad_response', message: `${provider}: malformed response: ${detail}` });
  }
  if (isNetworkError(error)) {
    return new ModelError({ ...base, kind: 'network', retryable: true, message: `${provider}: network error: ${detail}` });
  }
  return new ModelError({ ...base, kind: 'bad_response', message: `${provider}: ${detail}` });
}

export function kindForStatus(status: number): ModelErrorKind {
  if (status === 429) return 'rate_limit';
  if (status === 408) return 'timeout';
  if (status === 401 || status === 403) return 'auth';
  if (status >= 500) return 'server';
  return 'bad_request';
}

function kindForErrorType(type: string | undefined): ModelErrorKind | undefined {
  switch (type) {
    case 'overloaded_error':
    case 'api_error':
      return 'server';
    case 'rate_limit_error':
      return 'rate_limit';
    case 'invalid_request_error':
      return 'bad_request';
    default:
      return undefined;
  }
}

/**
 * `retry-after-ms` (OpenAI), then `retry-after` in seconds or as an HTTP date.
 * https://developer.mozilla.org/docs/Web/HTTP/Headers/Retry-After
 */
export function parseRetryAfter(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return Math.round(ms);
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Gemini puts `RetryInfo.retryDelay` ("12s") in the error body rather than a header. */
function retryDelayInBody(message: string): number | undefined {
  const match = /"retryDelay"\s*:\s*"(\d+(?:\.\d+)?)s"/.exec(message);
  return match?.[1] ? Math.round(Number(match[1]) * 1000) : undefined;
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : undefined;
}

function headersOf(error: unknown): Headers | undefined {
  const headers = (error as { headers?: unknown } | null)?.headers;
  return headers instanceof Headers ? headers : undefined;
}

function errorTypeOf(error: unknown): string | undefined {
  const body = (error as { error?: { type?: unknown; error?: { type?: unknown } } } | null)?.error;
  const type = body?.error?.type ?? body?.type;
  return typeof type === 'string' ? type : undefined;
}

const NETWORK_CODES = /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|UND_ERR/;

function isNetworkError(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const { name, message, code } = current as { name?: string; message?: string; code?: string };
    if (name === 'APIConnectionError') return true;
    if (typeof code === 'string' && NETWORK_CODES.test(code)) return true;
    if (/fetch failed|terminated|socket|network|other side closed/i.test(message ?? '')) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

function describe(error: unknown): string {
  const text = vendorMessage(error instanceof Error ? error.message : String(error));
  const oneLine = text.replace(/\s+/g, ' ').trim() || 'unknown error';
  return oneLine.length > MAX_MESSAGE ? `${oneLine.slice(0, MAX_MESSAGE)}…` : oneLine;
}

/** Gemini's SDK puts the whole JSON error body in the message: keep its readable part. */
function vendorMessage(text: string): string {
  const json = text.slice(text.indexOf('{'));
  if (!json.startsWith('{')) return text;
  try {
    const body = JSON.parse(json) as { error?: { message?: unknown; details?: Array<{ retryDelay?: unknown }> } };
    const message = body.error?.message;
    const delay = body.error?.details?.find((d) => typeof d?.retryDelay === 'string')?.retryDelay;
    if (typeof message === 'string') return delay ? `${message} "retryDelay":"${String(delay)}"` : message;
  } catch {
    // not JSON after all
  }
  return text;
}

const KEY_PATTERNS = [/sk-[A-Za-z0-9_\-*]{8,}/g, /AIza[0-9A-Za-z_\-]{20,}/g];

/** Keys never reach a message: the configured ones literally, and anything shaped like a vendor key. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 6) out = out.split(secret).join('[redacted]');
  for (const pattern of KEY_PATTERNS) out = out.replace(pattern, '[redacted]');
  return out;
}
