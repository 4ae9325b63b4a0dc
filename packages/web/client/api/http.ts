// One JSON fetch helper: every response is parsed with its zod schema, every failure is an ApiError.
import type { z } from 'zod/mini';
import { ErrorBody } from '../../src/api/schemas.ts';

export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

/** Reads `{ error }` from a failed response, falling back to words for the status. */
export async function errorFrom(response: Response): Promise<ApiError> {
  let message = '';
  try {
    const body = ErrorBody.safeParse(await response.json());
    if (body.success) message = body.data.error;
  } catch {
    // Not JSON (a proxy page, an empty body): the status text below will do.
  }
  return new ApiError(response.status, message || describeStatus(response.status));
}

export function describeStatus(status: number): string {
  if (status === 401) return 'Please sign in again.';
  if (status === 404) return 'That could not be found.';
  if (status === 413) return 'That message is too long. Please shorten it.';
  if (status === 429) return 'Too many requests. Please wait a moment and try again.';
  if (status >= 500) return 'The store assistant had a problem. Please try again.';
  return `Request failed (HTTP ${status}).`;
}

export function networkError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof DOMException && error.name === 'AbortError') return new ApiError(0, 'Cancelled.');
  return new ApiError(0, 'Cannot reach the store right now. Check your connection and try again.');
}

interface RequestOptions {
  method?: 'GET' | 'POST';
  body?: unknown;
  signal?: AbortSignal;
}

export async function requestJson<S extends z.ZodMiniType>(path: string, schema: S, options: RequestOptions = {}): Promise<z.infer<S>> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
      headers: {
        accept: 'application/json',
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    throw networkError(error);
  }
  if (!response.ok) throw await errorFrom(response);
  const parsed = schema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new ApiError(response.status, 'The store sent an answer this page does not understand.');
  return parsed.data;
}
