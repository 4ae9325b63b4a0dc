import type { McpServer, RegisteredTool, ServerContext, StandardSchemaWithJSON, ToolAnnotations } from '@modelcontextprotocol/server';
import type { z } from 'zod';
import type { CatalogDb } from '../db/open-catalog-db.ts';

/** What every catalog tool receives. Passed down explicitly; tools never open the database themselves. */
export interface CatalogToolDeps {
  db: CatalogDb;
  /** Where unexpected failures are reported (stderr in main.ts: stdout belongs to the stdio transport). */
  log?: (message: string) => void;
  /** Wraps every tool call (tracing: `toolCallSpans` in tool-call-spans.ts, set up by main.ts when telemetry is on). */
  instrument?: ToolCallInstrument;
}

/** Runs one tool call for `toolName` inside whatever it adds (a span), returning the call's result. */
export type ToolCallInstrument = <T>(toolName: string, ctx: ServerContext, call: () => Promise<T>) => Promise<T>;

/** A catalog tool: schemas plus a pure `query(db, input)` and a `render` for the human-readable text content. */
export interface CatalogToolSpec<I extends z.ZodObject, O extends z.ZodObject> {
  name: string;
  title: string;
  /** Prompt text for the model: review it like code. */
  description: string;
  inputSchema: I;
  outputSchema: O;
  query: (db: CatalogDb, input: z.output<I>) => z.output<O>;
  /** The text content. Gets the db for optional context (e.g. other matches) that is not part of the contract shape. */
  render: (output: z.output<O>, db: CatalogDb) => string;
}

/** Every catalog tool only reads the local Chinook copy. */
export const CATALOG_TOOL_ANNOTATIONS: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

/** Identity helper so each tool file gets its `query`/`render` types inferred from its schemas. */
export function defineCatalogTool<I extends z.ZodObject, O extends z.ZodObject>(spec: CatalogToolSpec<I, O>): CatalogToolSpec<I, O> {
  return spec;
}

/**
 * The single seam every tool is registered through, so cross-cutting concerns wrap all handlers here:
 * `deps.instrument` (the `tools/call {tool}` span) around each call; the SQL spans inside come from the
 * database handle main.ts wraps. Input validation happens in the SDK before this runs (a schema failure becomes an
 * `isError` result naming the field). An unexpected failure here is logged and replaced by a generic message:
 * SQL error text must never reach the client.
 */
export function registerCatalogTool<I extends z.ZodObject, O extends z.ZodObject>(
  server: McpServer,
  deps: CatalogToolDeps,
  spec: CatalogToolSpec<I, O>,
): RegisteredTool {
  // Registered with the schemas widened to StandardSchemaWithJSON: the SDK's conditional callback type does not
  // resolve for a generic zod object, and the SDK has already validated `input` against `spec.inputSchema`.
  return server.registerTool<StandardSchemaWithJSON, StandardSchemaWithJSON>(
    spec.name,
    {
      title: spec.title,
      description: spec.description,
      inputSchema: spec.inputSchema,
      outputSchema: spec.outputSchema,
      annotations: CATALOG_TOOL_ANNOTATIONS,
    },
    (input: unknown, ctx: ServerContext) => (deps.instrument ? deps.instrument(spec.name, ctx, () => run(input)) : run(input)),
  );

  async function run(input: unknown) {
    let output: z.output<O>;
    let text: string;
    try {
      output = spec.query(deps.db, input as z.output<I>);
      text = spec.render(output, deps.db);
    } catch (error) {
      deps.log?.(`catalog-mcp: ${spec.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      throw new Error(`${spec.title} failed because of a problem in the catalog server. Please try again later.`);
    }
    return {
      content: [{ type: 'text' as const, text }],
      structuredContent: output as Record<string, unknown>,
    };
  }
}
