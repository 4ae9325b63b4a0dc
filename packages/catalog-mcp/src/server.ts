import { McpServer } from '@modelcontextprotocol/server';
import type { CatalogToolDeps } from './tools/catalog-tool.ts';
import { registerCatalogTools } from './tools/index.ts';

export const CATALOG_SERVER_INFO = { name: 'algorhythm-catalog', version: '0.1.0' } as const;

const MAX_TOOL_INPUT_ELEMENTS = 32;

const INSTRUCTIONS =
  "Algorhythm's music catalog (read-only): artists, albums, tracks with durations and prices, genres. " +
  'All searches are partial and case-insensitive; results are capped by `limit` and flagged `truncated`.';

/**
 * A fresh catalog server with every tool registered. Cheap to call: `serveStdio` calls it per connection and
 * `createMcpHandler` per HTTP request, both sharing the one read-only db handle in `deps`.
 */
export function createCatalogServer(deps: CatalogToolDeps): McpServer {
  const server = new McpServer(CATALOG_SERVER_INFO, {
    capabilities: { tools: {} },
    instructions: INSTRUCTIONS,
    // Our arguments are two scalars; refuse huge argument objects before zod walks them.
    maxToolInputElements: MAX_TOOL_INPUT_ELEMENTS,
  });
  registerCatalogTools(server, deps);
  return server;
}
