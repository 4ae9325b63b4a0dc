import { SpanKind, trace } from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import {
  ATTR,
  ERROR_TYPE,
  executeToolAttributes,
  injectTraceMeta,
  markSpanError,
  MCP_METHOD,
  spanName,
  withSpan,
} from '@algorhythm/telemetry';
import type { McpConnection, McpConnectionOptions } from '../mcp/mcp-connection.ts';
import type { ToolSource } from '../mcp/types.ts';
import { agentScope } from './agent-scope.ts';

/**
 * An McpConnection whose `callTool` is an `execute_tool {tool}` CLIENT span with the GenAI tool and
 * MCP client attributes; an `isError` result marks it `error.type=tool_error`, a failure to reach
 * the server records the exception. Wrapping the connection (not the ToolSource) covers the
 * approval retry, which calls the connection directly.
 */
export function traceMcpConnection(connection: McpConnection, options: { tracer: Tracer; server: ToolSource['server'] }): McpConnection {
  return {
    ...connection,
    callTool(call, callOptions) {
      const scope = agentScope();
      const { protocolVersion, transport } = connection.describe();
      return withSpan(
        options.tracer,
        spanName.executeTool(call.name),
        {
          kind: SpanKind.CLIENT,
          attributes: executeToolAttributes({
            toolName: call.name,
            callId: call.id,
            agentName: scope?.agentName,
            conversationId: scope?.conversationId,
            mcpServer: options.server,
            mcp: { method: MCP_METHOD.toolsCall, protocolVersion, transport },
          }),
        },
        async (span) => {
          const outcome = await connection.callTool(call, callOptions);
          if (outcome.type === 'result' && outcome.result.isError) markSpanError(span, ERROR_TYPE.toolError);
          return outcome;
        },
      );
    },
  };
}

/**
 * The createMcpConnection options that carry the trace across: `traceparent`/`tracestate` of the
 * active span (the `execute_tool` one) in each request's `params._meta`, and the JSON-RPC id of
 * each `tools/call` recorded on that span as it is sent.
 */
export function mcpTracePropagation(): Pick<McpConnectionOptions, 'meta' | 'onRequest'> {
  return {
    meta: () => {
      const meta = injectTraceMeta({});
      return Object.keys(meta).length > 0 ? meta : undefined;
    },
    onRequest: ({ method, id }) => {
      if (method === MCP_METHOD.toolsCall) trace.getActiveSpan()?.setAttribute(ATTR.jsonrpcRequestId, String(id));
    },
  };
}
