import type { Tracer } from '@opentelemetry/api';
import { ERROR_TYPE, markSpanError, mcpToolCallSpan, withSpan } from '@algorhythm/telemetry';
import type { ToolCallInstrument } from './define-tool.ts';

/**
 * Each tool call as a `tools/call {tool}` SERVER span (`mcpToolCallSpan`); an `isError` result marks it
 * `error.type=tool_error` (mcp.md), and an internal failure the seam answered is recorded on it too.
 * Loaded only when traces are exported, so a plain start pays nothing for OpenTelemetry.
 */
export function toolCallSpans(tracer: Tracer, transport?: string): ToolCallInstrument {
  return (toolName, ctx, call) => {
    const { name, options } = mcpToolCallSpan(toolName, ctx, transport);
    return withSpan(tracer, name, options, async (span) => {
      const result = await call((error) => span.recordException(error instanceof Error ? error : String(error)));
      if ('isError' in result && result.isError === true) markSpanError(span, ERROR_TYPE.toolError);
      return result;
    });
  };
}
