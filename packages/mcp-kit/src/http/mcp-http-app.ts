import { requireBearerAuth, type AuthInfo, type OAuthTokenVerifier } from '@modelcontextprotocol/server';
import type { Logger } from '../logger.ts';
import { jsonRpcError } from './json-rpc-error.ts';
import { declaredBodyLimit } from './middleware/declared-body-limit.ts';
import { dnsRebindingGuard, type DnsRebindingGuardOptions } from './middleware/dns-rebinding-guard.ts';

export const MCP_PATH = '/mcp';
/** Tool arguments are a few hundred bytes; 256 KiB leaves room for any sane JSON-RPC message and no more. */
export const MAX_REQUEST_BODY_BYTES = 256 * 1024;

/** What serves `/mcp`: the SDK's `createMcpHandler`, or a server's own routing in front of it. */
export interface McpEndpoint {
  /** `parsedBody`: the POST body, already read and parsed (`readBodyOnce`); the request's own body is then used up. */
  fetch: (request: Request, options?: { authInfo?: AuthInfo | undefined; parsedBody?: unknown }) => Promise<Response>;
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
 *
 * A plain function rather than a router: three fixed steps in front of one endpoint, on every tool call, so
 * nothing is built per request beyond what the checks themselves need. `HEAD` is answered as `GET` without a body.
 */
export function createMcpHttpApp({ endpoint, verifier, log, ...guard }: McpHttpAppOptions): McpHttpApp {
  const rebindingGuard = dnsRebindingGuard(guard);
  // A token the verifier accepts gives its `AuthInfo`; anything else the SDK's 401 challenge (a `Response`).
  const authenticate = verifier ? requireBearerAuth({ verifier }) : undefined;
  const bodyLimit = declaredBodyLimit({ maxBytes: MAX_REQUEST_BODY_BYTES });

  async function route(request: Request): Promise<Response> {
    const rejected = rebindingGuard(request);
    if (rejected) return rejected;
    const path = pathOf(request.url);
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    if (path === '/healthz' && method === 'GET') return Response.json({ status: 'ok' });
    if (path !== MCP_PATH) return jsonRpcError(404, -32000, `Not found: the MCP endpoint is ${MCP_PATH}`);
    let authInfo: AuthInfo | undefined;
    if (authenticate) {
      const auth = await authenticate(request);
      if (auth instanceof Response) return auth;
      authInfo = auth;
    }
    const tooLarge = bodyLimit(request);
    if (tooLarge) return tooLarge;
    return endpoint.fetch(request, { authInfo });
  }

  return {
    async fetch(request) {
      try {
        const response = await route(request);
        return request.method === 'HEAD' && response.body !== null ? withoutBody(response) : response;
      } catch (error) {
        log?.(`http: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        return jsonRpcError(500, -32603, 'Internal server error');
      }
    },
    close: () => endpoint.close(),
  };
}

/** The decoded path of an absolute request URL (`http://host:port/path?query`), without building a `URL`. */
function pathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('://') + 3);
  if (start === -1) return '/';
  let end = url.length;
  for (let i = start; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === 63 /* ? */ || c === 35 /* # */) {
      end = i;
      break;
    }
  }
  const path = url.slice(start, end);
  if (!path.includes('%')) return path;
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

function withoutBody(response: Response): Response {
  void response.body?.cancel().catch(() => {});
  return new Response(null, { status: response.status, statusText: response.statusText, headers: response.headers });
}
