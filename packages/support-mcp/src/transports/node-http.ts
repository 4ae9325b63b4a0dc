import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

export type FetchHandler = (request: Request) => Promise<Response>;

function toRequest(req: IncomingMessage, signal: AbortSignal, fallbackHost: string): Request {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  // The URL is only for routing; Host validation reads the Host header itself.
  const url = new URL(req.url ?? '/', `http://${fallbackHost}`);
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(url, {
    method: req.method ?? 'GET',
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    duplex: 'half',
    signal,
  } as RequestInit);
}

async function writeResponse(response: Response, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers = groupHeaders(response.headers);
  // Answered before the body was read (413, 401, 403...): the rest of the body is still on the
  // socket, so this connection cannot be reused for another request.
  if (!req.complete) headers.set('connection', 'close');
  res.writeHead(response.status, Object.fromEntries(headers));
  res.flushHeaders();
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  res.on('close', () => void reader.cancel().catch(() => {}));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      res.write(value);
    }
  } finally {
    res.end();
  }
}

function groupHeaders(headers: Headers): Map<string, string | string[]> {
  const out = new Map<string, string | string[]>();
  for (const [name, value] of headers) {
    if (name === 'set-cookie') out.set(name, headers.getSetCookie());
    else out.set(name, value);
  }
  return out;
}

/** Serves a web-standard fetch handler on node:http (SSE bodies are streamed as they are written). */
export async function listenHttp(
  handler: FetchHandler,
  { host, port, log }: { host: string; port: number; log: (line: string) => void },
): Promise<{ server: Server; url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    void (async () => {
      try {
        const response = await handler(toRequest(req, abort.signal, `${host}:${port}`));
        await writeResponse(response, req, res);
      } catch (error) {
        log(`support-mcp http: ${error instanceof Error ? error.message : String(error)}`);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(res.headersSent ? undefined : JSON.stringify({ error: 'internal error' }));
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${shownHost}:${address.port}/mcp`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
