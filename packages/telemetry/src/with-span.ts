import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Attributes, Context, Link, Span, SpanKind, TimeInput, Tracer } from '@opentelemetry/api';
import { ATTR, ERROR_TYPE } from './names.ts';

export interface WithSpanOptions {
  /** Defaults to INTERNAL. */
  kind?: SpanKind;
  attributes?: Attributes;
  links?: Link[];
  /** Parent context; defaults to the active one. Pass an extracted MCP `_meta` context here. */
  parent?: Context;
  /** Start a new trace even if a span is active. */
  root?: boolean;
  startTime?: TimeInput;
  /** Maps a thrown value to `error.type`; defaults to `errorTypeOf`. */
  errorType?: (error: unknown) => string;
}

/**
 * Runs `fn` inside a new active span and always ends it. A throw (or rejection) is recorded as an
 * exception event, sets status ERROR with the message and `error.type`, and is rethrown unchanged.
 * Errors that are results rather than throws (a tool's `isError`) are marked with `markSpanError`.
 */
export async function withSpan<T>(
  tracer: Tracer,
  name: string,
  options: WithSpanOptions,
  fn: (span: Span) => Promise<T> | T,
): Promise<T> {
  const span = startSpan(tracer, name, options);
  try {
    return await context.with(trace.setSpan(parentOf(options), span), fn, undefined, span);
  } catch (error) {
    recordFailure(span, error, options.errorType);
    throw error;
  } finally {
    span.end();
  }
}

/** `withSpan` for synchronous work (better-sqlite3 queries): same guarantees, no promise. */
export function withSpanSync<T>(tracer: Tracer, name: string, options: WithSpanOptions, fn: (span: Span) => T): T {
  const span = startSpan(tracer, name, options);
  try {
    return context.with(trace.setSpan(parentOf(options), span), fn, undefined, span);
  } catch (error) {
    recordFailure(span, error, options.errorType);
    throw error;
  } finally {
    span.end();
  }
}

/** Marks a span failed without an exception: status ERROR, `error.type`, optional description. */
export function markSpanError(span: Span, errorType: string, message?: string): void {
  span.setAttribute(ATTR.errorType, errorType);
  span.setStatus(message === undefined ? { code: SpanStatusCode.ERROR } : { code: SpanStatusCode.ERROR, message });
}

/**
 * Default `error.type`: a string `kind` (our ModelError: `rate_limit`, `timeout`…), else a string
 * `code` (Node system errors: `ECONNREFUSED`), else the error's class name, else `_OTHER`.
 */
export function errorTypeOf(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { kind, code } = error as { kind?: unknown; code?: unknown };
    if (typeof kind === 'string' && kind) return kind;
    if (typeof code === 'string' && code) return code;
    if (error instanceof Error && error.name) return error.name;
  }
  return ERROR_TYPE.other;
}

function startSpan(tracer: Tracer, name: string, options: WithSpanOptions): Span {
  return tracer.startSpan(
    name,
    {
      kind: options.kind,
      attributes: options.attributes,
      links: options.links,
      root: options.root,
      startTime: options.startTime,
    },
    parentOf(options),
  );
}

function parentOf(options: WithSpanOptions): Context {
  return options.parent ?? context.active();
}

function recordFailure(span: Span, error: unknown, errorType = errorTypeOf): void {
  span.recordException(error instanceof Error ? error : String(error));
  markSpanError(span, errorType(error), error instanceof Error ? error.message : String(error));
}
