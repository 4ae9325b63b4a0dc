import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import type { Span, TextMapGetter, Tracer } from '@opentelemetry/api';
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { ATTR, errorTypeOf, httpServerAttributes, markSpanError, spanName } from '@algorhythm/telemetry';

export interface HttpServerSpanOptions {
  tracer: Tracer;
  /** Which requests get a span; default all. The host traces `/api/*` only (no span per static file). */
  include?: (path: string) => boolean;
  /**
   * Whether an SSE response's span stays open until its stream ends, so the turn streamed in it is
   * inside the request. Default: streams answering a POST (a chat turn); a GET stream is a
   * subscription that may stay open for hours, and its span ends with the headers.
   */
  holdStream?: (c: Context) => boolean;
}

const headerGetter: TextMapGetter<Headers> = {
  keys: (headers) => [...headers.keys()],
  get: (headers, key) => headers.get(key) ?? undefined,
};

/**
 * The host's HTTP server span, `{METHOD} {route}` (kind SERVER) with the route template, path and
 * status. Continues a W3C `traceparent` sent by the caller. A 5xx marks it failed (`error.type` is
 * the status, or the thrown error's type); a 4xx is the client's problem and is not an error here.
 */
export function httpServerSpan({
  tracer,
  include = () => true,
  holdStream = (c) => c.req.method !== 'GET',
}: HttpServerSpanOptions): MiddlewareHandler {
  return async function httpServerSpanMiddleware(c, next) {
    if (!include(c.req.path)) return next();
    const method = c.req.method;
    const parent = propagation.extract(context.active(), c.req.raw.headers, headerGetter);
    const span = tracer.startSpan(
      method,
      { kind: SpanKind.SERVER, attributes: httpServerAttributes({ method, route: '', path: c.req.path }) },
      parent,
    );
    try {
      await context.with(trace.setSpan(parent, span), next);
    } catch (error) {
      // Hono's onError normally answers first; this is a throw that escaped it.
      finish(span, c, error, 500);
      span.end();
      throw error;
    }
    finish(span, c, c.error, c.res.status);
    const body = c.res.body;
    if (body && isEventStream(c) && holdStream(c)) {
      c.res = new Response(endWhenDone(body, () => span.end()), c.res);
    } else {
      span.end();
    }
  };
}

function finish(span: Span, c: Context, error: unknown, status: number): void {
  const route = routePath(c);
  span.updateName(spanName.httpServer(c.req.method, route));
  span.setAttribute(ATTR.httpRoute, route);
  span.setAttribute(ATTR.httpResponseStatusCode, status);
  if (status < 500) return;
  if (error !== undefined) span.recordException(error instanceof Error ? error : String(error));
  markSpanError(span, error === undefined ? String(status) : errorTypeOf(error));
}

function isEventStream(c: Context): boolean {
  return (c.res.headers.get('content-type') ?? '').startsWith('text/event-stream');
}

/** The same bytes; `done` runs once, when the stream ends, fails or is cancelled by the client. */
function endWhenDone(body: ReadableStream<Uint8Array>, done: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    done();
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done: finished, value } = await reader.read();
        if (finished) {
          end();
          controller.close();
        } else {
          controller.enqueue(value);
        }
      } catch (error) {
        end();
        controller.error(error);
      }
    },
    cancel(reason) {
      end();
      return reader.cancel(reason);
    },
  });
}
