import type { ServerContext } from '@modelcontextprotocol/server';
import { SpanKind } from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import {
  ERROR_TYPE,
  extractTraceContext,
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
 * (the host's `execute_tool` span), with the MCP server attributes. main.ts loads this only when telemetry
 * is configured, so a plain start pays nothing for OpenTelemetry.
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
        // The SDK answers a throw with an isError result: that is a tool error (mcp.md).
        errorType: () => ERROR_TYPE.toolError,
      },
      call,
    );
}

function protocolVersionOf(ctx: ServerContext): string | undefined {
  const version = (ctx.mcpReq.envelope as Record<string, unknown> | undefined)?.[PROTOCOL_VERSION_KEY];
  return typeof version === 'string' ? version : undefined;
}
