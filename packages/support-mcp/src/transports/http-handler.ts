import { randomUUID } from 'node:crypto';
import {
  createMcpHandler,
  hostHeaderValidationResponse,
  isInitializeRequest,
  isLegacyRequest,
  localhostAllowedHostnames,
  localhostAllowedOrigins,
  originValidationResponse,
  requireBearerAuth,
  WebStandardStreamableHTTPServerTransport,
  type AuthInfo,
} from '@modelcontextprotocol/server';
import { customerTokenVerifier } from '../auth/bearer-verifier.ts';
import { createSupportServer, type SupportDeps } from '../server.ts';

export const MCP_PATH = '/mcp';
/** A 2025-era session left idle this long is closed (an open elicitation holds at most 10 minutes). */
export const LEGACY_SESSION_IDLE_MS = 30 * 60 * 1000;
/** Our requests are tiny; refuse bodies past this with 413 before parsing them. */
export const MAX_REQUEST_BODY_BYTES = 256 * 1024;

export type SupportHttpHandler = {
  fetch: (request: Request) => Promise<Response>;
  close: () => Promise<void>;
  /** Open 2025-era sessions (for tests and health output). */
  legacySessionCount: () => number;
};

type LegacySession = { transport: WebStandardStreamableHTTPServerTransport; customerId: number; lastSeen: number };

const jsonRpcError = (status: number, code: number, message: string) =>
  Response.json({ jsonrpc: '2.0', error: { code, message }, id: null }, { status });

/**
 * The Streamable HTTP face on `/mcp`: Host/Origin checks (DNS rebinding), a customer bearer token on
 * every request, then 2026-07-28 traffic to the SDK's stateless handler and 2025-era traffic to
 * sessionful transports. The SDK's own stateless legacy fallback cannot carry a server→client
 * `elicitation/create`, so `legacy: 'reject'` plus our own routing on `isLegacyRequest` is what lets
 * VS Code, the Inspector and v1 clients approve refunds.
 *
 * `deps.resolveCustomer` must read the token (`customerFromAuthInfo`).
 */
export function createSupportHttpHandler({
  deps,
  tokenSecret,
  allowedHostnames = localhostAllowedHostnames(),
  allowedOriginHostnames = localhostAllowedOrigins(),
  now = () => Date.now(),
}: {
  deps: SupportDeps;
  tokenSecret: string;
  allowedHostnames?: string[];
  allowedOriginHostnames?: string[];
  now?: () => number;
}): SupportHttpHandler {
  const gate = requireBearerAuth({ verifier: customerTokenVerifier({ secret: tokenSecret, db: deps.db }) });
  const modern = createMcpHandler(() => createSupportServer(deps), {
    legacy: 'reject',
    maxRequestBodySize: MAX_REQUEST_BODY_BYTES,
    onerror: (error) => deps.log(`support-mcp http: ${error.message}`),
  });
  const sessions = new Map<string, LegacySession>();

  const reap = setInterval(() => {
    for (const [id, session] of sessions) {
      if (now() - session.lastSeen > LEGACY_SESSION_IDLE_MS) {
        sessions.delete(id);
        void session.transport.close();
      }
    }
  }, 60_000);
  reap.unref();

  async function serveLegacy(request: Request, authInfo: AuthInfo): Promise<Response> {
    const customerId = authInfo.extra?.['customerId'] as number;
    const sessionId = request.headers.get('mcp-session-id');
    if (sessionId) {
      const session = sessions.get(sessionId);
      if (!session) return jsonRpcError(404, -32001, 'Session not found');
      // A session belongs to the customer whose token opened it.
      if (session.customerId !== customerId) return jsonRpcError(403, -32001, 'Session belongs to another customer');
      session.lastSeen = now();
      return session.transport.handleRequest(request, { authInfo });
    }
    const body: unknown = request.method === 'POST' ? await request.clone().json().catch(() => undefined) : undefined;
    const opening = Array.isArray(body) ? body.some((m) => isInitializeRequest(m)) : isInitializeRequest(body);
    if (!opening) return jsonRpcError(400, -32000, 'Bad Request: no valid session ID provided');
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      maxRequestBodySize: MAX_REQUEST_BODY_BYTES,
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, customerId, lastSeen: now() });
      },
      onsessionclosed: (id) => {
        sessions.delete(id);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await createSupportServer(deps).connect(transport);
    return transport.handleRequest(request, { authInfo });
  }

  return {
    async fetch(request: Request): Promise<Response> {
      const url = new URL(request.url);
      if (url.pathname !== MCP_PATH) return Response.json({ error: 'not found' }, { status: 404 });
      const rejected =
        hostHeaderValidationResponse(request, allowedHostnames) ??
        originValidationResponse(request, allowedOriginHostnames);
      if (rejected) return rejected;
      const auth = await gate(request);
      if (auth instanceof Response) return auth;
      if (await isLegacyRequest(request, undefined, { maxRequestBodySize: MAX_REQUEST_BODY_BYTES })) return serveLegacy(request, auth);
      return modern.fetch(request, { authInfo: auth });
    },
    async close() {
      clearInterval(reap);
      const open = [...sessions.values()];
      sessions.clear();
      await Promise.allSettled([modern.close(), ...open.map((s) => s.transport.close())]);
    },
    legacySessionCount: () => sessions.size,
  };
}
