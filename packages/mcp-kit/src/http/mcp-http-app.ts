import type { AuthInfo, OAuthTokenVerifier } from '@modelcontextprotocol/server';
import { Hono } from 'hono';
import type { Logger } from '../logger.ts';
import { jsonRpcError } from './json-rpc-error.ts';
import { bearerAuth } from './middleware/bearer-auth.ts';
import { declaredBodyLimit } from './middleware/declared-body-limit.ts';
import { dnsRebindingGuard, type DnsRebindingGuardOptions } from './middleware/dns-rebinding-guard.ts';

export const MCP_PATH = '/mcp';
/** Tool arguments are a few hundred bytes; 256 KiB leaves room for any sane JSON-RPC message and no more. */
export const MAX_REQUEST_BODY_BYTES = 256 * 1024;

/** What serves `/mcp`: the SDK's `createMcpHandler`, or a server's own routing in front of it. */
export interface McpEndpoint {
  fetch: (request: Request, options?: { authInfo?: AuthInfo }) => Promise<Response>;
  close: () => Promise<void>;
}

export interface McpHttpAppOptions extends DnsRebindingGuardOptions {
  endpoint: McpEndpoint;
  /** When set, every `/mcp` request needs a bearer token it accepts; its `AuthInfo` reaches the tools. */
  verifier?: OAuthTokenVerifier;
  /** Where unexpected failures are reported. */
  log?: Logger;
}

/** A web-standard app: tests call `fetch` without a socket; `serveHttp` puts it on one. */
export interface McpHttpApp {
  fetch: (request: Request) => Promise<Response>;
  close: () => Promise<void>;
}

/**
 * The Streamable HTTP face of a server: Host/Origin checks on every path (DNS rebinding), `GET /healthz`,
 * then `/mcp` (behind the bearer check when a verifier is given, and a body limit). Anything else is a JSON-RPC 404; an
 * unexpected failure is logged and answered with a bare 500.
 */
export function createMcpHttpApp({ endpoint, verifier, log, ...guard }: McpHttpAppOptions): McpHttpApp {
  const app = new Hono();
  app.use(dnsRebindingGuard(guard));
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  if (verifier) app.use(MCP_PATH, bearerAuth({ verifier }));
  app.use(MCP_PATH, declaredBodyLimit({ maxBytes: MAX_REQUEST_BODY_BYTES }));
  app.all(MCP_PATH, (c) => endpoint.fetch(c.req.raw, { authInfo: c.var.authInfo }));
  app.notFound(() => jsonRpcError(404, -32000, `Not found: the MCP endpoint is ${MCP_PATH}`));
  app.onError((error) => {
    log?.(`http: ${error.stack ?? error.message}`);
    return jsonRpcError(500, -32603, 'Internal server error');
  });
  return { fetch: async (request) => app.fetch(request), close: () => endpoint.close() };
}
