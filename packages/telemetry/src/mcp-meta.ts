import { context, propagation } from '@opentelemetry/api';
import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';

/**
 * Trace context in MCP `params._meta` (SEP-414; mcp.md "Context propagation"): the W3C keys,
 * unprefixed. The MCP SDK exports the same strings as TRACEPARENT_META_KEY / TRACESTATE_META_KEY /
 * BAGGAGE_META_KEY (mcp-meta.test.ts checks); they are copied here so the servers do not load the
 * client SDK, nor the host the server SDK, to get three strings.
 */
export const TRACEPARENT_META_KEY = 'traceparent';
export const TRACESTATE_META_KEY = 'tracestate';
export const BAGGAGE_META_KEY = 'baggage';

export type McpMeta = Record<string, unknown>;

export interface PropagationOptions {
  /** Defaults to the active context (inject) or the active context as base (extract). */
  context?: Context;
  /** Defaults to the globally configured propagator (OTEL_PROPAGATORS, registered by startTelemetry). */
  propagator?: TextMapPropagator;
}

const setter: TextMapSetter<McpMeta> = {
  set(carrier, key, value) {
    carrier[key] = value;
  },
};

const getter: TextMapGetter<unknown> = {
  keys(carrier) {
    return isRecord(carrier) ? Object.keys(carrier) : [];
  },
  get(carrier, key) {
    if (!isRecord(carrier)) return undefined;
    const value = carrier[key];
    return typeof value === 'string' ? value : undefined;
  },
};

/**
 * Returns a copy of `meta` (an MCP request's `params._meta`) with the context's `traceparent`,
 * `tracestate` and `baggage` added. Nothing is added when there is no valid span context: then
 * the copy equals the input.
 */
export function injectTraceMeta(meta: McpMeta | undefined, options: PropagationOptions = {}): McpMeta {
  const out: McpMeta = { ...meta };
  const propagator = options.propagator ?? propagation;
  propagator.inject(options.context ?? context.active(), out, setter);
  return out;
}

/**
 * The context an MCP server should parent its span on: `base` (the active context by default)
 * with the remote span from an incoming request's `params._meta`, if it carries one. Non-object
 * metas and non-string values are ignored.
 */
export function extractTraceContext(meta: unknown, options: PropagationOptions = {}): Context {
  const propagator = options.propagator ?? propagation;
  return propagator.extract(options.context ?? context.active(), meta, getter);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
