/**
 * @algorhythm/telemetry: what domain code uses to describe its work. Everything here depends on
 * `@opentelemetry/api` only. The SDK lives behind `@algorhythm/telemetry/setup` (`startTelemetry`,
 * for composition roots) and test tools behind `@algorhythm/telemetry/testing/otlp-receiver`.
 */
export * from './names.ts';
export { withSpan, withSpanSync, markSpanError, errorTypeOf } from './with-span.ts';
export type { WithSpanOptions } from './with-span.ts';
export {
  injectTraceMeta,
  extractTraceContext,
  TRACEPARENT_META_KEY,
  TRACESTATE_META_KEY,
  BAGGAGE_META_KEY,
} from './mcp-meta.ts';
export type { McpMeta, PropagationOptions } from './mcp-meta.ts';
export { mcpToolCallSpan } from './mcp-server-span.ts';
export type { McpServerRequest } from './mcp-server-span.ts';
export { traceparentOf, spanContextFromTraceparent, linkFromTraceparent } from './links.ts';
export {
  captureContentEnabled,
  inputContentAttributes,
  outputContentAttributes,
  truncateJson,
  MAX_CONTENT_BYTES,
} from './content.ts';
export type { ContentMessage, ContentFinish } from './content.ts';
export {
  createGenAiMetrics,
  TOKEN_USAGE_BUCKETS,
  OPERATION_DURATION_BUCKETS,
} from './genai-metrics.ts';
export type { GenAiMetrics, ModelCallRecord } from './genai-metrics.ts';
export { estimateCostUsd, priceFor } from './cost.ts';
export type { CostUsage, ModelPrice } from './cost.ts';
export {
  chatRequestAttributes,
  chatResponseAttributes,
  invokeAgentAttributes,
  executeToolAttributes,
  mcpServerAttributes,
  dbAttributes,
  approvalRequestedAttributes,
  approvalDecidedAttributes,
  httpServerAttributes,
} from './attributes.ts';
export type { ChatRequestInfo, ChatResponseInfo, McpRequestInfo } from './attributes.ts';
export { traceSqlStatements, sqlSummary } from './sql-spans.ts';
export type { SqlSpanOptions, SqlSummary } from './sql-spans.ts';
