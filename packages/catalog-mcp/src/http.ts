import {
  createMcpHandler,
  hostHeaderValidationResponse,
  localhostAllowedHostnames,
  localhostAllowedOrigins,
  originValidationResponse,
} from '@modelcontextprotocol/server';
import { createServer as createNodeServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createCatalogServer } from './server.ts';
import type { CatalogToolDeps } from './tools/define-tool.ts';

export const MCP_PATH = '/mcp';
/** Tool arguments are a few hundred bytes; 256 KiB leaves room for any sane JSON-RPC message and no more. */
export const MAX_REQUEST_BODY_BYTES = 256 * 1024;

export interface CatalogHttpAppOptions extends CatalogToolDeps {
  /** Host header hostnames accepted (no ports; IPv6 in brackets). Default: localhost, 127.0.0.1, [::1]. */
  allowedHosts?: string[];
  /** Origin hostnames accepted when a browser sends Origin. Default: the localhost set. */
  allowedOrigins?: string[];
}

/** A web-standard app: `fetch` serves `/mcp` (both protocol eras) and `/healthz`; tests call it without a socket. */
export interface CatalogHttpApp {
  fetch: (request: Request) => Promise<Response>;
  close: () => Promise<void>;
}

function jsonRpcError(status: number, code: number, message: string): Response {
  return Response.json({ jsonrpc: '2.0', error: { code, message }, id: null }, { status });
}

export function createCatalogHttpApp(options: CatalogHttpAppOptions): CatalogHttpApp {
  const { db, log } = options;
  const allowedHosts = options.allowedHosts ?? localhostAllowedHostnames();
  const allowedOrigins = options.allowedOrigins ?? localhostAllowedOrigins();
  // One factory for both eras: 2026-07-28 requests are served per request; 2025-era requests go through the
  // SDK's default stateless legacy fallback (no server-to-client requests, which read-only tools never need).
  const { instrument } = options;
  const deps = { db, ...(log ? { log } : {}), ...(instrument ? { instrument } : {}) };
  const mcp = createMcpHandler(() => createCatalogServer(deps), {
    maxRequestBodySize: MAX_REQUEST_BODY_BYTES,
    ...(log ? { onerror: (error: Error) => log(`catalog-mcp http: ${error.message}`) } : {}),
  });

  return {
    async fetch(request) {
      // DNS-rebinding defence: a page on evil.example resolving to 127.0.0.1 still sends its own Host/Origin.
      const rejected =
        hostHeaderValidationResponse(request, allowedHosts) ?? originValidationResponse(request, allowedOrigins);
      if (rejected) return rejected;
      const { pathname } = new URL(request.url);
      if (pathname === MCP_PATH) return mcp.fetch(request);
      if (pathname === '/healthz' && request.method === 'GET') return Response.json({ status: 'ok' });
      return jsonRpcError(404, -32000, `Not found: the MCP endpoint is ${MCP_PATH}`);
    },
    close: () => mcp.close(),
  };
}

/** Past this many unread bytes after the response, the connection is dropped instead of drained. */
const MAX_DRAIN_BYTES = 8 * 1024 * 1024;

/**
 * A pull-based body over a Node request. Unlike `Readable.toWeb(req)`, cancelling it (the SDK does when it answers
 * 413 from Content-Length alone) does not destroy the socket, so the client can finish sending and read the answer.
 */
function nodeRequestBody(req: IncomingMessage) {
  let iterator: AsyncIterator<Buffer> | undefined;
  const next = () => (iterator ??= req[Symbol.asyncIterator]()).next();
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { value, done } = await next();
        if (done) controller.close();
        else controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
      },
    },
    { highWaterMark: 0 },
  );
  /** Discards what the handler did not read, up to a cap, keeping the connection usable. */
  async function drain(): Promise<void> {
    let discarded = 0;
    try {
      while (!req.complete) {
        const { value, done } = await next();
        if (done) return;
        discarded += value.byteLength;
        if (discarded > MAX_DRAIN_BYTES) {
          req.socket.destroy();
          return;
        }
      }
    } catch {
      // The client went away; nothing to drain.
    }
  }
  return { body, drain };
}

/** Node request → web Request. The URL comes from our own listen address, never from the Host header. */
export function toWebRequest(req: IncomingMessage, base: URL, signal?: AbortSignal): { request: Request; drain: () => Promise<void> } {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const url = new URL(base);
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  url.pathname = q < 0 ? raw : raw.slice(0, q);
  url.search = q < 0 ? '' : raw.slice(q);
  const method = req.method ?? 'GET';
  const { body, drain } = nodeRequestBody(req);
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const request = new Request(url, {
    method,
    headers,
    ...(signal ? { signal } : {}),
    ...(hasBody ? { body, duplex: 'half' } : {}),
  } as RequestInit);
  return { request, drain };
}

/** Web Response → Node response, streaming the body (SSE included) with backpressure. */
export async function writeWebResponse(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.appendHeader(name, value));
  if (!response.body) {
    res.end();
    return;
  }
  res.flushHeaders();
  await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), res);
}

export interface StartCatalogHttpServerOptions extends CatalogHttpAppOptions {
  /** Interface to bind. Default 127.0.0.1: the server is for this machine unless you say otherwise. */
  host?: string;
  /** Port; 0 picks a free one. Default 3001. */
  port?: number;
}

export interface RunningCatalogHttpServer {
  /** The MCP endpoint, e.g. http://127.0.0.1:3001/mcp */
  url: URL;
  server: Server;
  close: () => Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Accepted Host names: the localhost set, plus the bound host when it is a specific non-loopback name. */
export function defaultAllowedHosts(host: string): string[] {
  const hosts = localhostAllowedHostnames();
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  if (!LOOPBACK.has(host) && host !== '0.0.0.0' && host !== '::') hosts.push(bracketed);
  return hosts;
}

export async function startCatalogHttpServer(options: StartCatalogHttpServerOptions): Promise<RunningCatalogHttpServer> {
  const host = options.host ?? '127.0.0.1';
  const app = createCatalogHttpApp({ ...options, allowedHosts: options.allowedHosts ?? defaultAllowedHosts(host) });
  let base = new URL('http://127.0.0.1/');

  const server = createNodeServer((req, res) => {
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    void (async () => {
      const { request, drain } = toWebRequest(req, base, abort.signal);
      try {
        await writeWebResponse(res, await app.fetch(request));
        await drain();
      } catch (error) {
        if (abort.signal.aborted) return;
        options.log?.(`catalog-mcp http: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        if (!res.headersSent) await writeWebResponse(res, jsonRpcError(500, -32603, 'Internal server error'));
        else res.destroy();
      }
    })();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3001, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  base = new URL(`http://${urlHost}:${address.port}/`);

  return {
    url: new URL(MCP_PATH, base),
    server,
    async close() {
      await app.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
