import type { McpServer, RegisteredTool, ToolAnnotations } from '@modelcontextprotocol/server';
import { defineTool, okResult, type ToolRuntime } from '@algorhythm/mcp-kit/tools';
import type { z } from 'zod';
import type { CatalogDb } from '../db/open-catalog-db.ts';

/** What every catalog tool receives (plus the kit's log and span). Tools never open the database themselves. */
export interface CatalogToolDeps extends ToolRuntime {
  db: CatalogDb;
}

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
 * Registers through the kit's seam (`defineTool`: span, error policy). The SQL spans inside come from the
 * database handle the process wraps; SQL error text never reaches the client.
 */
export function registerCatalogTool<I extends z.ZodObject, O extends z.ZodObject>(
  server: McpServer,
  deps: CatalogToolDeps,
  spec: CatalogToolSpec<I, O>,
): RegisteredTool {
  const { name, title, description, inputSchema, outputSchema } = spec;
  return defineTool(
    server,
    { name, title, description, inputSchema, outputSchema, annotations: CATALOG_TOOL_ANNOTATIONS },
    (input) => {
      const output = spec.query(deps.db, input);
      return okResult(output as Record<string, unknown>, spec.render(output, deps.db));
    },
    deps,
  );
}
