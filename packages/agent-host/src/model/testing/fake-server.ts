import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as the fake received it. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  /** Parsed JSON body (undefined when empty or not JSON). */
  body: any;
}

export interface SseEvent {
  /** SSE `event:` name (Anthropic uses them; OpenAI and Gemini don't). */
  event?: string;
  /** Serialized as JSON unless it is already a string (raw lines let tests send malformed data). */
  data: unknown;
}

/** What the fake answers one request with. */
export type FakeReply =
  | { type: 'json'; status?: number; body: unknown; headers?: Record<string, string>; delayMs?: number }
  | {
      type: 'sse';
      events: SseEvent[];
      headers?: Record<string, string>;
      /** Wait before sending the headers. */
      delayMs?: number;
      /** Wait between events (a slow stream). */
      eventDelayMs?: number;
      /** Destroy the socket after this many events (a stream cut mid-way). */
      cutAfter?: number;
    }
  | { type: 'raw'; status?: number; body: string; headers?: Record<string, string> }
  /** Never answer (until the server closes): for timeouts. */
  | { type: 'hang' }
  /** Drop the connection without a response. */
  | { type: 'destroy' };

/** Queued replies may depend on the request (e.g. JSON or SSE by its `stream` flag). */
export type Responder = FakeReply | ((request: RecordedRequest) => FakeReply);

export interface FakeServer {
  /** `http://127.0.0.1:PORT`: the origin, no trailing slash. */
  readonly origin: string;
  readonly port: number;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Queues replies, answered first in, first out. */
  enqueue(...responders: Responder[]): void;
  /** Replies still queued. */
  pending(): number;
  close(): Promise<void>;
}

export interface FakeServerOptions {
  /** Answers whatever the queue does not (a benchmark's vendor answering from each request); default: a 500. */
  otherwise?: (request: RecordedRequest) => FakeReply;
  /** Keep every request in `requests` (default); off for long benchmark runs. */
  keepRequests?: boolean;
}

/**
 * A programmable HTTP server on 127.0.0.1 (port 0): the vendor fakes build their wire formats on it.
 * Without `otherwise`, an empty queue answers 500 with a clear message, so a test that forgot a reply fails loudly.
 */
export async function startFakeServer({ otherwise, keepRequests = true }: FakeServerOptions = {}): Promise<FakeServer> {
  const queue: Responder[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    void (async () => {
      const recorded = await record(req);
      if (keepRequests) requests.push(recorded);
      const next = queue.shift();
      const reply: FakeReply = next
        ? typeof next === 'function'
          ? next(recorded)
          : next
        : otherwise
          ? otherwise(recorded)
          : { type: 'json', status: 500, body: { error: { message: `fake server: no reply queued for ${recorded.path}` } } };
      await send(reply, req, res);
    })().catch(() => res.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    enqueue: (...responders) => void queue.push(...responders),
    pending: () => queue.length,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function record(req: IncomingMessage): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers[name] = value;
  }
  return { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers, body };
}

const wait = (ms: number | undefined) => (ms ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve());

async function send(reply: FakeReply, req: IncomingMessage, res: ServerResponse): Promise<void> {
  switch (reply.type) {
    case 'json':
      await wait(reply.delayMs);
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.body));
      return;
    case 'raw':
      res.writeHead(reply.status ?? 200, { 'content-type': 'text/event-stream', ...reply.headers });
      res.end(reply.body);
      return;
    case 'hang':
      return;
    case 'destroy':
      req.socket.destroy();
      return;
    case 'sse': {
      await wait(reply.delayMs);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...reply.headers });
      res.flushHeaders();
      const cutAfter = reply.cutAfter ?? Number.POSITIVE_INFINITY;
      for (const [index, event] of reply.events.slice(0, cutAfter).entries()) {
        if (index > 0) await wait(reply.eventDelayMs);
        if (res.destroyed) return;
        const data = typeof event.data === 'string' ? event.data : JSON.stringify(event.data);
        await new Promise<void>((resolve) => res.write(`${event.event ? `event: ${event.event}\n` : ''}data: ${data}\n\n`, () => resolve()));
      }
      if (reply.cutAfter !== undefined) {
        // Let the client read what was sent, then drop the connection mid-stream.
        await wait(20);
        req.socket.destroy();
        return;
      }
      res.end();
      return;
    }
  }
}

/** Splits a string into pieces of at most `size` characters (tool-call arguments over many chunks). */
export function splitEvery(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces.length > 0 ? pieces : [''];
}

/** Splits text into word-sized deltas, keeping the spaces. */
export function splitWords(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}
