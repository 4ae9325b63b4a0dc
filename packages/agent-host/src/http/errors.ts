import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError, type AppErrorKind } from '../errors.ts';

const STATUS: Record<AppErrorKind, ContentfulStatusCode> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unavailable: 503,
};

/** One place that turns errors into JSON `{error}`; anything unexpected is logged and becomes a plain 500. */
export function errorHandler(log: (line: string) => void) {
  return function onError(error: Error, c: Context) {
    if (error instanceof AppError) return c.json({ error: error.message }, STATUS[error.kind]);
    if (error instanceof HTTPException) {
      // A response made by whoever refused (an abuse limit met inside a route) is the answer as it is.
      if (error.res) return error.getResponse();
      return c.json({ error: error.message || 'Request refused.' }, error.status as ContentfulStatusCode);
    }
    log(`unhandled error on ${c.req.method} ${c.req.path}: ${error.stack ?? error.message}`);
    return c.json({ error: 'Internal server error.' }, 500);
  };
}
