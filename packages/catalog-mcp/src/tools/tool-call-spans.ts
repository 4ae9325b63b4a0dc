import type { Tracer } from '@opentelemetry/api';
import { ERROR_TYPE, mcpToolCallSpan, withSpan } from '@algorhythm/telemetry';
import type { ToolCallInstrument } from './define-tool.ts';

/**
 * Each tool call as a `tools/call {tool}` SERVER span (`mcpToolCallSpan`). main.ts loads this only when
 * telemetry is configured, so a plain start pays nothing for OpenTelemetry.
 */
export function toolCallSpans(tracer: Tracer): ToolCallInstrument {
  return (toolName, ctx, call) => {
    const { name, options } = mcpToolCallSpan(toolName, ctx);
    // The SDK answers a throw with an isError result: that is a tool error (mcp.md).
    return withSpan(tracer, name, { ...options, errorType: () => ERROR_TYPE.toolError }, call);
  };
}
