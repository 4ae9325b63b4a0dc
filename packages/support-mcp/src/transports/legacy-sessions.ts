import { randomUUID } from 'node:crypto';
import {
  isInitializeRequest,
  isLegacyRequest,
  WebStandardStreamableHTTPServerTransport,
  type AuthInfo,
  type McpServer,
} from '@modelcontextprotocol/server';
import { jsonRpcError, MAX_REQUEST_BODY_BYTES, readBodyOnce, statelessEndpoint, type McpEndpoint } from '@algorhythm/mcp-kit/http';
import type { Logger } from '@algorhythm/mcp-kit/tools';

/** Protocol revisions served statelessly, per request (the 2026-07-28 era). */
const MODERN_REVISIONS = new Set(['2026-07-28']);

/** A 2025-era session left idle this long is closed (an open elicitation holds at most 10 minutes). */
export const LEGACY_SESSION_IDLE_MS = 30 * 60 * 1000;

export interface LegacySessionEndpoint extends McpEndpoint {
  /** Open 2025-era sessions (for tests and health output). */
  sessionCount: () => number;
}

type LegacySession = { transport: WebStandardStreamableHTTPServerTransport; customerId: unknown; lastSeen: number };

/**
 * `/mcp` with 2025-era sessions: the SDK's stateless legacy fallback cannot carry a server→client
 * `elicitation/create`, so 2025-era traffic (VS Code, the Inspector, v1 clients approving refunds) goes to
 * sessionful transports, each owned by the customer whose token opened it; 2026-07-28 traffic is stateless.
 */
export function withLegacySessions({
  createServer,
  log,
  now = () => Date.now(),
}: {
  createServer: () => McpServer;
  log?: Logger;
  now?: () => number;
}): LegacySessionEndpoint {
  const modern = statelessEndpoint(createServer, { legacy: 'reject', log });
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

  async function serveLegacy(request: Request, authInfo: AuthInfo, parsedBody: unknown): Promise<Response> {
    const customerId = authInfo.extra?.['customerId'];
    const sessionId = request.headers.get('mcp-session-id');
    if (sessionId) {
      const session = sessions.get(sessionId);
      if (!session) return jsonRpcError(404, -32001, 'Session not found');
      if (session.customerId !== customerId) return jsonRpcError(403, -32001, 'Session belongs to another customer');
      session.lastSeen = now();
      return session.transport.handleRequest(request, { authInfo, ...(parsedBody !== undefined ? { parsedBody } : {}) });
    }
    const body = parsedBody;
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
    await createServer().connect(transport);
    return transport.handleRequest(request, { authInfo, parsedBody });
  }

  return {
    async fetch(request, { authInfo } = {}) {
      // The body is read and parsed once, here (`readBodyOnce`), and handed on parsed: the era check and the leg that
      // serves the request would each read and parse it again otherwise.
      const read = await readBodyOnce(request);
      if ('response' in read) return read.response;
      const { forward, parsedBody } = read;
      const parsed = parsedBody !== undefined ? { parsedBody } : {};
      // A request that names a 2026-era revision in its header is never legacy (the SDK's routing sends even a
      // malformed one to the modern leg, which answers it): skip the second classification of the body.
      const modernHeader = MODERN_REVISIONS.has(request.headers.get('mcp-protocol-version') ?? '');
      if (modernHeader || !(await isLegacyRequest(forward, parsedBody, { maxRequestBodySize: MAX_REQUEST_BODY_BYTES }))) {
        return modern.fetch(forward, { authInfo, ...parsed });
      }
      // Sessions belong to a customer: without a verified token there is none to give.
      if (!authInfo) throw new Error('2025-era sessions need a verified bearer token');
      return serveLegacy(forward, authInfo, parsedBody);
    },
    async close() {
      clearInterval(reap);
      const open = [...sessions.values()];
      sessions.clear();
      await Promise.allSettled([modern.close(), ...open.map((s) => s.transport.close())]);
    },
    sessionCount: () => sessions.size,
  };
}
