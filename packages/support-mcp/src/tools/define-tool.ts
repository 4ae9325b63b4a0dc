import type {
  CallToolResult,
  InputRequiredResult,
  McpServer,
  ServerContext,
  ToolAnnotations,
} from '@modelcontextprotocol/server';
import { SpanKind } from '@opentelemetry/api';
import type { Span, Tracer } from '@opentelemetry/api';
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
import type { z } from 'zod';
import { ToolError } from './tool-error.ts';

export type ToolSpec<I extends z.ZodObject, O extends z.ZodObject> = {
  name: string;
  title: string;
  description: string;
  inputSchema: I;
  outputSchema: O;
  annotations: ToolAnnotations;
};

export type ToolHandler<I extends z.ZodObject> = (
  input: z.output<I>,
  ctx: ServerContext,
) => Promise<CallToolResult | InputRequiredResult>;

export type Logger = (line: string) => void;

/** What the seam needs besides the tool itself. */
export type ToolRuntime = { log: Logger; tracer: Tracer };

/** Where the 2026-07-28 envelope carries the protocol version of each request. */
const PROTOCOL_VERSION_KEY = 'io.modelcontextprotocol/protocolVersion';

/**
 * The one place every tool is registered through: the seam for instrumentation and for error
 * policy. Each call is a `tools/call {tool}` SERVER span continuing the trace in the request's
 * `_meta` (the host's `execute_tool` span); an `isError` result marks it `error.type=tool_error`.
 * A `ToolError` becomes an `isError` result with its model-facing text; anything else is logged to
 * stderr (and recorded on the span) and answered generically, so SQL or stack details never reach
 * the model.
 */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(
  server: McpServer,
  spec: ToolSpec<I, O>,
  handler: ToolHandler<I>,
  runtime: ToolRuntime,
): void {
  const { log, tracer } = runtime;
  const attempt = async (input: z.output<I>, ctx: ServerContext, span: Span): Promise<CallToolResult | InputRequiredResult> => {
    try {
      return await handler(input, ctx);
    } catch (error) {
      if (error instanceof ToolError) return errorResult(error.message);
      span.recordException(error instanceof Error ? error : String(error));
      log(`support-mcp: ${spec.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return errorResult(`${spec.name} could not be completed because of an internal error. Please try again later.`);
    }
  };
  const run = (input: z.output<I>, ctx: ServerContext): Promise<CallToolResult | InputRequiredResult> =>
    withSpan(
      tracer,
      spanName.mcpServer(MCP_METHOD.toolsCall, spec.name),
      {
        kind: SpanKind.SERVER,
        parent: extractTraceContext(ctx.mcpReq._meta),
        attributes: mcpServerAttributes({
          toolName: spec.name,
          requestId: ctx.mcpReq.id,
          protocolVersion: protocolVersionOf(ctx),
          sessionId: ctx.sessionId,
          transport: ctx.http ? NETWORK_TRANSPORT.tcp : NETWORK_TRANSPORT.pipe,
        }),
      },
      async (span) => {
        const result = await attempt(input, ctx, span);
        if ('isError' in result && result.isError === true) markSpanError(span, ERROR_TYPE.toolError);
        return result;
      },
    );
  server.registerTool(
    spec.name,
    {
      title: spec.title,
      description: spec.description,
      inputSchema: spec.inputSchema,
      outputSchema: spec.outputSchema,
      annotations: { title: spec.title, ...spec.annotations },
    },
    run as never,
  );
}

function protocolVersionOf(ctx: ServerContext): string | undefined {
  const version = (ctx.mcpReq.envelope as Record<string, unknown> | undefined)?.[PROTOCOL_VERSION_KEY];
  return typeof version === 'string' ? version : undefined;
}

export function errorResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

/** A successful result: the contract's `structuredContent` plus a readable text for text-only clients. */
export function okResult(structuredContent: Record<string, unknown>, text: string): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent };
}
