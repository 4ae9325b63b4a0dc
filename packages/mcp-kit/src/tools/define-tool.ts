import type {
  CallToolResult,
  InputRequiredResult,
  McpServer,
  RegisteredTool,
  ServerContext,
  StandardSchemaWithJSON,
  ToolAnnotations,
} from '@modelcontextprotocol/server';
import type { z } from 'zod';
import type { Logger } from '../logger.ts';
import { errorResult } from './tool-result.ts';
import { ToolError } from './tool-error.ts';

export type ToolSpec<I extends z.ZodObject, O extends z.ZodObject> = {
  name: string;
  title: string;
  /** Prompt text for the model: review it like code. */
  description: string;
  inputSchema: I;
  outputSchema: O;
  annotations: ToolAnnotations;
};

export type ToolOutcome = CallToolResult | InputRequiredResult;

export type ToolHandler<I extends z.ZodObject> = (input: z.output<I>, ctx: ServerContext) => ToolOutcome | Promise<ToolOutcome>;

/**
 * Runs one tool call inside whatever it adds (the `tools/call {tool}` span: `toolCallSpans`).
 * `recordFailure` notes an internal error the seam turned into a result.
 */
export type ToolCallInstrument = (
  toolName: string,
  ctx: ServerContext,
  call: (recordFailure: (error: unknown) => void) => Promise<ToolOutcome>,
) => Promise<ToolOutcome>;

/** What the seam needs besides the tool itself. */
export type ToolRuntime = {
  /** Where internal failures are reported; default stderr (stdout belongs to the stdio transport). */
  log?: Logger | undefined;
  instrument?: ToolCallInstrument | undefined;
};

const stderr: Logger = (line) => process.stderr.write(`${line}\n`);

/**
 * The one place every tool is registered through: the seam for instrumentation and for error policy.
 * Input validation happens in the SDK before this runs (a schema failure is an `isError` result naming
 * the field). A `ToolError` becomes an `isError` result with its text; anything else is logged, recorded
 * on the span and answered generically, so SQL or stack details never reach the model.
 */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(
  server: McpServer,
  spec: ToolSpec<I, O>,
  handler: ToolHandler<I>,
  runtime: ToolRuntime,
): RegisteredTool {
  const { log = stderr, instrument } = runtime;
  const attempt = async (input: z.output<I>, ctx: ServerContext, recordFailure: (error: unknown) => void): Promise<ToolOutcome> => {
    try {
      return await handler(input, ctx);
    } catch (error) {
      if (error instanceof ToolError) return errorResult(error.message);
      recordFailure(error);
      log(`${spec.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return errorResult(`${spec.title} could not be completed because of an internal error. Please try again later.`);
    }
  };
  const run = (input: z.output<I>, ctx: ServerContext): Promise<ToolOutcome> =>
    instrument ? instrument(spec.name, ctx, (recordFailure) => attempt(input, ctx, recordFailure)) : attempt(input, ctx, () => {});
  // Widened to StandardSchemaWithJSON: the SDK's conditional callback type does not resolve for a generic
  // zod object, and the SDK has already validated `input` against `spec.inputSchema`.
  return server.registerTool<StandardSchemaWithJSON, StandardSchemaWithJSON>(
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
