import { createMcpHandler, type McpServer } from '@modelcontextprotocol/server';
import type { Logger } from '../logger.ts';
import { MAX_REQUEST_BODY_BYTES, type McpEndpoint } from './mcp-http-app.ts';
import { readBodyOnce } from './read-body.ts';
import { reusableServers } from './reusable-servers.ts';

/**
 * `/mcp` for both protocol eras from one server factory: 2026-07-28 requests are served per request (on reused
 * idle instances: `reusableServers`), 2025-era ones by the SDK's stateless fallback (no server-to-client
 * requests), or refused with `legacy: 'reject'` when the server routes them itself.
 *
 * The body is read once here (`readBodyOnce`, unless the caller already did) and handed to the SDK parsed: left to
 * itself the SDK clones the request to read it (a full web `Request` and a teed stream per call).
 */
export function statelessEndpoint(
  createServer: () => McpServer,
  { legacy = 'stateless', log }: { legacy?: 'stateless' | 'reject'; log?: Logger | undefined } = {},
): McpEndpoint {
  const handler = createMcpHandler(reusableServers(createServer), {
    legacy,
    maxRequestBodySize: MAX_REQUEST_BODY_BYTES,
    ...(log ? { onerror: (error: Error) => log(`http: ${error.message}`) } : {}),
  });
  return {
    async fetch(request, options = {}) {
      const authInfo = options.authInfo !== undefined ? { authInfo: options.authInfo } : {};
      if (options.parsedBody !== undefined) return handler.fetch(request, { ...authInfo, parsedBody: options.parsedBody });
      const read = await readBodyOnce(request);
      if ('response' in read) return read.response;
      return handler.fetch(read.forward, { ...authInfo, ...(read.parsedBody !== undefined ? { parsedBody: read.parsedBody } : {}) });
    },
    close: () => handler.close(),
  };
}
