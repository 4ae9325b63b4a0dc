import type { ServerContext } from '@modelcontextprotocol/server';
import { SpanKind } from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import {
  ERROR_TYPE,
  extractTraceContext,
  markSpanError,
  MCP_METHOD,
  mcpServerAttributes,
  NETWORK_TRANSPORT,
  spanName,
  withSpan,
} from '@algorhythm/telemetry';
import type { ToolCallInstrument } from './define-tool.ts';

/** Where the 2026-07-28 envelope carries the protocol version of each request. */
const PROTOCOL_VERSION_KEY = 'io.modelcontextprotocol/protocolVersion';

/**
 * Each tool call as a `tools/call {tool}` SERVER span that continues the trace in the request's `_meta`
 * (the host's `execute_tool` span), with the MCP server attributes; an `isError` result marks it
 * `error.type=tool_error` (mcp.md), and an internal failure the seam answered is recorded on it too.
 * main.ts loads this only when traces are exported, so a plain start pays nothing for OpenTelemetry.
 */
export function toolCallSpans(tracer: Tracer): ToolCallInstrument {
  return (toolName, ctx, call) =>
    withSpan(
      tracer,
      spanName.mcpServer(MCP_METHOD.toolsCall, toolName),
      {
        kind: SpanKind.SERVER,
        parent: extractTraceContext(ctx.mcpReq._meta),
        attributes: mcpServerAttributes({
          toolName,
          requestId: ctx.mcpReq.id,
          protocolVersion: protocolVersionOf(ctx),
          sessionId: ctx.sessionId,
          transport: ctx.http ? NETWORK_TRANSPORT.tcp : NETWORK_TRANSPORT.pipe,
        }),
      },
      async (span) => {
        const result = await call((error) => span.recordException(error instanceof Error ? error : String(error)));
        if ('isError' in result && result.isError === true) markSpanError(span, ERROR_TYPE.toolError);
        return result;
      },
    );
}

function protocolVersionOf(ctx: ServerContext): string | undefined {
  const version = (ctx.mcpReq.envelope as Record<string, unknown> | undefined)?.[PROTOCOL_VERSION_KEY];
  return typeof version === 'string' ? version : undefined;
}
