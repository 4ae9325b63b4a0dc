import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MCP_PATH, type McpHttpApp } from './mcp-http-app.ts';

export interface ServeHttpOptions {
  /** Interface to bind. Default 127.0.0.1: the server is for this machine unless you say otherwise. */
  host?: string;
  /** Port; 0 picks a free one. */
  port: number;
}

export interface RunningHttpServer {
  /** The MCP endpoint, e.g. http://127.0.0.1:3001/mcp */
  url: URL;
  server: Server;
  /** Closes the app (in-flight MCP exchanges), then every connection and the listener. */
  close: () => Promise<void>;
}

/** Serves the app on node:http through `@hono/node-server` (SSE bodies stream as they are written). */
export async function serveHttp(app: McpHttpApp, { host = '127.0.0.1', port }: ServeHttpOptions): Promise<RunningHttpServer> {
  // overrideGlobalObjects: false: in-process tests share their globals with this server.
  const server = createAdaptorServer({ fetch: app.fetch, hostname: host, overrideGlobalObjects: false }) as Server;
  // Longer than a client's idle-socket timeout (the host's keep-alive pool: 4 s), so the client always closes an
  // idle connection first and never reuses one the server is closing at that instant (a reset under a request).
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: new URL(`http://${urlHost}:${address.port}${MCP_PATH}`),
    server,
    async close() {
      await app.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
