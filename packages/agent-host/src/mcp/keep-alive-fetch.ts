import { Agent, request, type IncomingMessage, type RequestOptions } from 'node:http';
import { urlToHttpOptions } from 'node:url';
import { Readable } from 'node:stream';
import { SdkError, SdkErrorCode, type FetchLike } from '@modelcontextprotocol/client';

export interface KeepAliveFetch {
  fetch: FetchLike;
  /** Drops the idle pooled sockets (the service they lead to died: they are dead too, we just do not know yet). */
  dropIdle(): void;
  /** Closes the pooled sockets. */
  close(): void;
}

/**
 * The HTTP client of a host-started MCP service: plain `node:http` over a keep-alive socket pool, aimed at wherever
 * the service listens now (`target()`: it moves when a crashed service is started again).
 *
 * Why not the global `fetch`: for a 1 KB JSON answer on loopback, undici's WHATWG request/response/stream machinery
 * costs more CPU than the MCP work itself; here a JSON body is read into one buffer, and only an SSE answer is
 * handed over as a stream. Why `retarget`: a refused connection means the request reached no one, so it is safe to
 * ask the service to be started again and send it once more; a connection lost under a request that was sent is
 * reported as the SDK's `ConnectionClosed`, so the caller decides (a read-only tool is asked again, a refund is not).
 */
export function keepAliveFetch({
  target,
  retarget,
  maxSockets = 64,
}: {
  target: () => Promise<URL>;
  /** The service at `stale` refused a connection: start it again and say where it listens now. */
  retarget: (stale: URL) => Promise<URL>;
  maxSockets?: number;
}): KeepAliveFetch {
  // Idle sockets close on our side (4 s) before the server's keep-alive timeout (serveHttp: 60 s) can race a reuse.
  const agent = new Agent({ keepAlive: true, maxSockets, timeout: 4_000 });

  // The request options of the current target, kept while it does not move (node would convert the URL each time).
  let base: { href: string; options: RequestOptions } | undefined;
  const optionsFor = (url: URL): RequestOptions => {
    if (base?.href !== url.href) base = { href: url.href, options: { ...urlToHttpOptions(url), agent } };
    return base.options;
  };

  async function fetchOnce(url: URL, init: RequestInit | undefined): Promise<Response> {
    const headers = plainHeaders(init?.headers);
    const body = typeof init?.body === 'string' ? Buffer.from(init.body) : undefined;
    if (body) headers['content-length'] = String(body.length);
    const options: RequestOptions = { ...optionsFor(url), method: init?.method ?? 'GET', headers };
    if (init?.signal) options.signal = init.signal;
    return new Promise<Response>((resolve, reject) => {
      const outgoing = request(options, (incoming) => toResponse(incoming).then(resolve, reject));
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  const dropIdle = () => {
    for (const sockets of Object.values(agent.freeSockets)) for (const socket of sockets ?? []) socket.destroy();
  };
  const fetch: FetchLike = async (_input, init) => {
    const url = await target();
    try {
      return await fetchOnce(url, init);
    } catch (error) {
      if (init?.signal?.aborted) throw error;
      if ((error as NodeJS.ErrnoException).code === 'ECONNREFUSED') return fetchOnce(await retarget(url), init).catch(lost);
      // A killed service's sockets close under us one event at a time: the other idle ones are as dead as this one.
      dropIdle();
      return lost(error);
    }
  };
  return { fetch, dropIdle, close: () => agent.destroy() };
}

function lost(error: unknown): never {
  const reason = error instanceof Error ? error.message : String(error);
  throw new SdkError(SdkErrorCode.ConnectionClosed, `Connection to the MCP service lost (${reason})`);
}

/** The SDK hands a `Headers`; node wants a plain record (copied: the SDK may reuse its object). */
function plainHeaders(init: RequestInit['headers']): Record<string, string> {
  const headers: Record<string, string> = {};
  if (init === undefined) return headers;
  if (init instanceof Headers) {
    init.forEach((value, key) => {
      headers[key] = value;
    });
    return headers;
  }
  new Headers(init).forEach((value, key) => {
    headers[key] = value;
  });
  return headers;
}

/** node's parsed headers as `Response` headers: one value per name (repeated ones joined, as `Headers` joins them). */
function responseHeaders(incoming: IncomingMessage): Record<string, string> | Headers {
  const raw = incoming.headers;
  for (const value of Object.values(raw)) {
    if (typeof value !== 'string') {
      const headers = new Headers();
      for (const [key, v] of Object.entries(raw)) if (v !== undefined) headers.set(key, Array.isArray(v) ? v.join(', ') : v);
      return headers;
    }
  }
  return raw as Record<string, string>;
}

function toResponse(incoming: IncomingMessage): Promise<Response> {
  const status = incoming.statusCode ?? 500;
  const init = { status, statusText: incoming.statusMessage ?? '', headers: responseHeaders(incoming) };
  if (incoming.headers['content-type']?.startsWith('text/event-stream')) {
    return Promise.resolve(new Response(Readable.toWeb(incoming) as ReadableStream<Uint8Array>, init));
  }
  return new Promise<Response>((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.once('error', reject);
    // A response cut short (the service died under it) is `aborted`, then `error`/`close` without `end`.
    incoming.once('aborted', () => reject(new Error('aborted')));
    incoming.once('end', () => {
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      // A null-body status (204, 304) cannot carry even an empty body.
      resolve(new Response(status === 204 || status === 304 ? null : body, init));
    });
  });
}
