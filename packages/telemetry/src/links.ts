import { isSpanContextValid, TraceFlags } from '@opentelemetry/api';
import type { Attributes, Link, Span, SpanContext } from '@opentelemetry/api';

/**
 * A span context as a W3C `traceparent` string, for storing next to something that outlives the
 * trace (an approval row) so a later trace can link back to it. Undefined for invalid (no-op)
 * contexts, so no-endpoint mode stores nothing.
 */
export function traceparentOf(spanOrContext: Span | SpanContext): string | undefined {
  const sc = 'spanContext' in spanOrContext ? spanOrContext.spanContext() : spanOrContext;
  if (!isSpanContextValid(sc)) return undefined;
  const flags = (sc.traceFlags & 0xff).toString(16).padStart(2, '0');
  return `00-${sc.traceId}-${sc.spanId}-${flags}`;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** Parses a `traceparent` into a remote span context; undefined when malformed or all-zero. */
export function spanContextFromTraceparent(traceparent: string | undefined | null): SpanContext | undefined {
  const match = traceparent ? TRACEPARENT.exec(traceparent.trim()) : null;
  if (!match) return undefined;
  const [, version, traceId, spanId, flags, rest] = match;
  // Version ff is forbidden; version 00 allows nothing after the flags.
  if (version === 'ff' || (version === '00' && rest)) return undefined;
  const sc: SpanContext = {
    traceId: traceId!,
    spanId: spanId!,
    traceFlags: parseInt(flags!, 16) & TraceFlags.SAMPLED,
    isRemote: true,
  };
  return isSpanContextValid(sc) ? sc : undefined;
}

/** A span link to the span a stored `traceparent` names, or undefined if there is none. */
export function linkFromTraceparent(traceparent: string | undefined | null, attributes?: Attributes): Link | undefined {
  const sc = spanContextFromTraceparent(traceparent);
  if (!sc) return undefined;
  return attributes ? { context: sc, attributes } : { context: sc };
}
