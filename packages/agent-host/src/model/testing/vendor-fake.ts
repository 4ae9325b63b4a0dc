import { startFakeServer } from './fake-server.ts';
import type { FakeReply, FakeServer, RecordedRequest, Responder, SseEvent } from './fake-server.ts';

/** A vendor-neutral scripted answer; each fake renders it in its own wire format (JSON or SSE). */
export interface FakeTurn {
  text?: string;
  toolCalls?: Array<{
    /** Omit to test vendors that may not send one (Gemini). */
    id?: string;
    name: string;
    arguments: Record<string, unknown>;
    /** Gemini 3's opaque signature on the part. */
    thoughtSignature?: string;
  }>;
  /** The vendor's raw finish/stop reason; a sensible default otherwise. */
  finishReason?: string;
  usage?: { input?: number; output?: number; cacheRead?: number; cacheWrite?: number };
  model?: string;
  id?: string;
  /** Characters per tool-argument chunk when streaming (small, so arguments split over many chunks). */
  argChunkSize?: number;
}

export interface FaultOptions {
  /** `retry-after` header value, in seconds as the vendors send it (e.g. '0.05'). */
  retryAfter?: string;
  message?: string;
}

/** How one vendor speaks; the three fakes implement it. */
export interface VendorWire {
  isStreamRequest(request: RecordedRequest): boolean;
  json(turn: FakeTurn, request: RecordedRequest): unknown;
  events(turn: FakeTurn, request: RecordedRequest): SseEvent[];
  errorBody(status: number, message: string): unknown;
  /** A stream whose second event is not valid JSON. */
  malformedEvents(turn: FakeTurn, request: RecordedRequest): SseEvent[];
}

export interface VendorFake {
  /** Pass this as the adapter's `baseURL`. */
  readonly baseURL: string;
  readonly server: FakeServer;
  readonly requests: RecordedRequest[];
  /** The last request's JSON body. */
  lastBody(): any;
  /** Answers the next requests with these turns, as JSON or SSE to match each request. */
  reply(...turns: FakeTurn[]): VendorFake;
  /** An HTTP error in the vendor's error shape. */
  fail(status: number, options?: FaultOptions): VendorFake;
  /** A 200 SSE stream that carries invalid JSON. */
  malformedStream(turn?: FakeTurn): VendorFake;
  /** Streams the turn but drops the connection after `afterEvents` events. */
  cutStream(turn: FakeTurn, afterEvents: number): VendorFake;
  /** Answers late: `delayMs` before the headers, `eventDelayMs` between stream events. */
  slow(turn: FakeTurn, options: { delayMs?: number; eventDelayMs?: number }): VendorFake;
  /** Never answers (the adapter's timeout must end it). */
  hang(): VendorFake;
  /** Any raw reply, for cases the helpers don't cover. */
  enqueue(...responders: Responder[]): VendorFake;
  close(): Promise<void>;
}

export async function startVendorFake(wire: VendorWire, basePath = ''): Promise<VendorFake> {
  const server = await startFakeServer();
  const answer =
    (turn: FakeTurn, extra: { delayMs?: number; eventDelayMs?: number; cutAfter?: number } = {}) =>
    (request: RecordedRequest): FakeReply =>
      wire.isStreamRequest(request)
        ? { type: 'sse', events: wire.events(turn, request), ...extra }
        : { type: 'json', body: wire.json(turn, request), ...(extra.delayMs ? { delayMs: extra.delayMs } : {}) };

  const fake: VendorFake = {
    baseURL: `${server.origin}${basePath}`,
    server,
    requests: server.requests,
    lastBody: () => server.requests.at(-1)?.body,
    reply: (...turns) => fake.enqueue(...turns.map((turn) => answer(turn))),
    fail: (status, options = {}) =>
      fake.enqueue({
        type: 'json',
        status,
        body: wire.errorBody(status, options.message ?? `fake ${status}`),
        ...(options.retryAfter !== undefined ? { headers: { 'retry-after': options.retryAfter } } : {}),
      }),
    malformedStream: (turn = { text: 'Hello there' }) =>
      fake.enqueue((request) => ({ type: 'sse', events: wire.malformedEvents(turn, request) })),
    cutStream: (turn, afterEvents) => fake.enqueue(answer(turn, { cutAfter: afterEvents })),
    slow: (turn, options) => fake.enqueue(answer(turn, options)),
    hang: () => fake.enqueue({ type: 'hang' }),
    enqueue: (...responders) => {
      server.enqueue(...responders);
      return fake;
    },
    close: () => server.close(),
  };
  return fake;
}
