import { SpanKind } from '@opentelemetry/api';
import { extractTraceContext } from './mcp-meta.ts';
import { mcpServerAttributes } from './attributes.ts';
import { MCP_METHOD, NETWORK_TRANSPORT, spanName } from './names.ts';
import type { WithSpanOptions } from './with-span.ts';

/** Where the 2026-07-28 envelope carries the protocol version of each request. */
const PROTOCOL_VERSION_KEY = 'io.modelcontextprotocol/protocolVersion';

/** The parts of the server SDK's `ServerContext` a tool-call span reads (kept structural: no SDK import). */
export interface McpServerRequest {
  mcpReq: { id: string | number; _meta?: unknown; envelope?: unknown };
  sessionId?: string;
  http?: unknown;
}

/**
 * The `tools/call {tool}` SERVER span of one tool call: it continues the trace in the request's
 * `_meta` (the host's `execute_tool` span) and carries the MCP server attributes (mcp.md).
 */
export function mcpToolCallSpan(
  toolName: string,
  request: McpServerRequest,
  /** Known to the server only when it runs inside its client's process. */
  transport: string = request.http ? NETWORK_TRANSPORT.tcp : NETWORK_TRANSPORT.pipe,
): { name: string; options: WithSpanOptions } {
  return {
    name: spanName.mcpServer(MCP_METHOD.toolsCall, toolName),
    options: {
      kind: SpanKind.SERVER,
      parent: extractTraceContext(request.mcpReq._meta),
      attributes: mcpServerAttributes({
        toolName,
        requestId: request.mcpReq.id,
        protocolVersion: protocolVersionOf(request.mcpReq.envelope),
        sessionId: request.sessionId,
        transport,
      }),
    },
  };
}

function protocolVersionOf(envelope: unknown): string | undefined {
  const version = (envelope as Record<string, unknown> | undefined)?.[PROTOCOL_VERSION_KEY];
  return typeof version === 'string' ? version : undefined;
}
