import {
  createMcpHttpApp,
  defaultAllowedHosts,
  serveHttp,
  statelessEndpoint,
  type McpHttpApp,
  type RunningHttpServer,
} from '@algorhythm/mcp-kit/http';
import { createCatalogServer } from './server.ts';
import type { CatalogToolDeps } from './tools/catalog-tool.ts';

export { MCP_PATH } from '@algorhythm/mcp-kit/http';

export interface CatalogHttpAppOptions extends CatalogToolDeps {
  /** Host header hostnames accepted (no ports; IPv6 in brackets). Default: localhost, 127.0.0.1, [::1]. */
  allowedHosts?: string[];
  /** Origin hostnames accepted when a browser sends Origin. Default: the localhost set. */
  allowedOrigins?: string[];
}

/** `fetch` serves `/mcp` (both protocol eras) and `/healthz`; tests call it without a socket. */
export type CatalogHttpApp = McpHttpApp;
export type RunningCatalogHttpServer = RunningHttpServer;

/** Read-only tools never need server-to-client requests: the SDK's stateless 2025-era fallback serves old clients. */
export function createCatalogHttpApp({ allowedHosts, allowedOrigins, ...deps }: CatalogHttpAppOptions): CatalogHttpApp {
  const endpoint = statelessEndpoint(() => createCatalogServer(deps), { log: deps.log });
  return createMcpHttpApp({ endpoint, allowedHosts, allowedOrigins, log: deps.log });
}

export interface StartCatalogHttpServerOptions extends CatalogHttpAppOptions {
  /** Interface to bind. Default 127.0.0.1. */
  host?: string;
  /** Port; 0 picks a free one. Default 3001. */
  port?: number;
}

export function startCatalogHttpServer({ host = '127.0.0.1', port = 3001, ...options }: StartCatalogHttpServerOptions): Promise<RunningCatalogHttpServer> {
  const app = createCatalogHttpApp({ ...options, allowedHosts: options.allowedHosts ?? defaultAllowedHosts(host) });
  return serveHttp(app, { host, port });
}
