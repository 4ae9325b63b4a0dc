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
 * The one place every tool is registered through: the seam for instrumentation (wrap `run` in a
 * span here and every tool gets it) and for error policy. A `ToolError` becomes an `isError` result
 * with its model-facing text; anything else is logged to stderr and answered generically, so SQL
 * or stack details never reach the model.
 */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(
  server: McpServer,
  spec: ToolSpec<I, O>,
  handler: ToolHandler<I>,
  log: Logger,
): void {
  const run = async (input: z.output<I>, ctx: ServerContext): Promise<CallToolResult | InputRequiredResult> => {
    try {
      return await handler(input, ctx);
    } catch (error) {
      if (error instanceof ToolError) return errorResult(error.message);
      log(`support-mcp: ${spec.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return errorResult(`${spec.name} could not be completed because of an internal error. Please try again later.`);
    }
  };
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
