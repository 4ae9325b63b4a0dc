import type {
  CallToolResult,
  InputRequiredResult,
  McpServer,
  ServerContext,
  ToolAnnotations,
} from '@modelcontextprotocol/server';
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

/**
 * Runs one tool call inside whatever it adds (the `tools/call {tool}` span: tool-call-spans.ts, set up by
 * main.ts only when telemetry is on). `recordFailure` notes an internal error the seam turned into a result.
 */
export type ToolCallInstrument = (
  toolName: string,
  ctx: ServerContext,
  call: (recordFailure: (error: unknown) => void) => Promise<CallToolResult | InputRequiredResult>,
) => Promise<CallToolResult | InputRequiredResult>;

/** What the seam needs besides the tool itself. */
export type ToolRuntime = { log: Logger; instrument?: ToolCallInstrument | undefined };

/**
 * The one place every tool is registered through: the seam for instrumentation (`runtime.instrument`
 * wraps every call) and for error policy. A `ToolError` becomes an `isError` result with its
 * model-facing text; anything else is logged to stderr (and recorded on the span) and answered
 * generically, so SQL or stack details never reach the model.
 */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(
  server: McpServer,
  spec: ToolSpec<I, O>,
  handler: ToolHandler<I>,
  runtime: ToolRuntime,
): void {
  const { log, instrument } = runtime;
  const attempt = async (
    input: z.output<I>,
    ctx: ServerContext,
    recordFailure: (error: unknown) => void,
  ): Promise<CallToolResult | InputRequiredResult> => {
    try {
      return await handler(input, ctx);
    } catch (error) {
      if (error instanceof ToolError) return errorResult(error.message);
      recordFailure(error);
      log(`support-mcp: ${spec.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return errorResult(`${spec.name} could not be completed because of an internal error. Please try again later.`);
    }
  };
  const run = (input: z.output<I>, ctx: ServerContext): Promise<CallToolResult | InputRequiredResult> =>
    instrument ? instrument(spec.name, ctx, (recordFailure) => attempt(input, ctx, recordFailure)) : attempt(input, ctx, () => {});
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

export function errorResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

/** A successful result: the contract's `structuredContent` plus a readable text for text-only clients. */
export function okResult(structuredContent: Record<string, unknown>, text: string): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent };
}
