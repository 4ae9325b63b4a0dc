import { Agent, request, type IncomingMessage } from 'node:http';
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

  async function fetchOnce(url: URL, init: RequestInit | undefined): Promise<Response> {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, key) => {
      headers[key] = value;
    });
    const body = typeof init?.body === 'string' ? Buffer.from(init.body) : undefined;
    if (body) headers['content-length'] = String(body.length);
    return new Promise<Response>((resolve, reject) => {
      const outgoing = request(url, { agent, method: init?.method ?? 'GET', headers, signal: init?.signal ?? undefined }, (incoming) =>
        toResponse(incoming).then(resolve, reject),
      );
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

async function toResponse(incoming: IncomingMessage): Promise<Response> {
  const headers = new Headers();
  for (const [key, value] of Object.entries(incoming.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const init = { status: incoming.statusCode ?? 500, statusText: incoming.statusMessage ?? '', headers };
  if (headers.get('content-type')?.startsWith('text/event-stream')) {
    return new Response(Readable.toWeb(incoming) as ReadableStream<Uint8Array>, init);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  // A null-body status (204, 304) cannot carry even an empty body.
  return new Response(init.status === 204 || init.status === 304 ? null : body, init);
}
