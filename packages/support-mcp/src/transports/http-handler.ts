import { createMcpHttpApp, defaultAllowedHosts, serveHttp, type McpHttpApp, type RunningHttpServer } from '@algorhythm/mcp-kit/http';
import { customerTokenVerifier } from '../auth/bearer-verifier.ts';
import { createSupportServer, type SupportDeps } from '../server.ts';
import { withLegacySessions } from './legacy-sessions.ts';

export { MCP_PATH } from '@algorhythm/mcp-kit/http';

export type SupportHttpHandler = McpHttpApp & {
  /** Open 2025-era sessions (for tests and health output). */
  legacySessionCount: () => number;
};

export type SupportHttpOptions = {
  /** `deps.resolveCustomer` must read the token (`customerFromAuthInfo`). */
  deps: SupportDeps;
  /** The secret customer tokens are signed with (shared with the agent host). */
  tokenSecret: string;
  allowedHostnames?: string[];
  allowedOriginHostnames?: string[];
  now?: () => number;
};

/** The kit's HTTP face with a customer bearer token required on every `/mcp` request. */
export function createSupportHttpHandler({ deps, tokenSecret, allowedHostnames, allowedOriginHostnames, now }: SupportHttpOptions): SupportHttpHandler {
  const endpoint = withLegacySessions({ createServer: () => createSupportServer(deps), log: deps.log, ...(now ? { now } : {}) });
  const app = createMcpHttpApp({
    endpoint,
    verifier: customerTokenVerifier({ secret: tokenSecret, store: deps.store }),
    allowedHosts: allowedHostnames,
    allowedOrigins: allowedOriginHostnames,
    log: deps.log,
  });
  return { ...app, legacySessionCount: endpoint.sessionCount };
}

export async function startSupportHttpServer(
  options: SupportHttpOptions & { host: string; port: number },
): Promise<RunningHttpServer & { legacySessionCount: () => number }> {
  const handler = createSupportHttpHandler({ ...options, allowedHostnames: options.allowedHostnames ?? defaultAllowedHosts(options.host) });
  const running = await serveHttp(handler, { host: options.host, port: options.port });
  return { ...running, legacySessionCount: handler.legacySessionCount };
}
