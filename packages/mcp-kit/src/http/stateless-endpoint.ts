import { createMcpHandler, type McpServer } from '@modelcontextprotocol/server';
import type { Logger } from '../logger.ts';
import { MAX_REQUEST_BODY_BYTES, type McpEndpoint } from './mcp-http-app.ts';
import { reusableServers } from './reusable-servers.ts';

/**
 * `/mcp` for both protocol eras from one server factory: 2026-07-28 requests are served per request (on reused
 * idle instances: `reusableServers`), 2025-era ones by the SDK's stateless fallback (no server-to-client
 * requests), or refused with `legacy: 'reject'` when the server routes them itself.
 */
export function statelessEndpoint(
  createServer: () => McpServer,
  { legacy = 'stateless', log }: { legacy?: 'stateless' | 'reject'; log?: Logger | undefined } = {},
): McpEndpoint {
  return createMcpHandler(reusableServers(createServer), {
    legacy,
    maxRequestBodySize: MAX_REQUEST_BODY_BYTES,
    ...(log ? { onerror: (error: Error) => log(`http: ${error.message}`) } : {}),
  });
}
