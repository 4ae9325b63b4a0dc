import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, inflateSync } from 'node:zlib';
import { decodeMetrics, decodeTraces } from './otlp-decode.ts';
import type { Encoding, ReceivedMetric, ReceivedSpan } from './otlp-decode.ts';

export type { AttributeMap, AttributeValue, ReceivedDataPoint, ReceivedMetric, ReceivedSpan } from './otlp-decode.ts';

/**
 * A local OTLP/HTTP receiver for tests and the bytes-per-turn benchmark. Listens on 127.0.0.1 on a
 * free port; point a process at it with OTEL_EXPORTER_OTLP_ENDPOINT=receiver.url. Accepts
 * `/v1/traces` and `/v1/metrics` as protobuf (the SDK default) or JSON (OTEL_EXPORTER_OTLP_PROTOCOL=
 * http/json), gzip or not; `/v1/logs` is acknowledged and counted only.
 *
 * Child processes export in batches (OTEL_BSP_SCHEDULE_DELAY, default 5 s) and on shutdown; give
 * them OTEL_BSP_SCHEDULE_DELAY=50 or shut them down before asserting, and use `waitFor`.
 */

export type Signal = 'traces' | 'metrics' | 'logs';

export interface ReceivedRequest {
  signal: Signal;
  encoding: Encoding;
  /** Body size as sent (compressed, if it was). */
  wireBytes: number;
  /** Body size after decompression: what the benchmark reports. */
  bytes: number;
  /** Spans or metrics in the request. */
  items: number;
}

export interface OtlpReceiver {
  /** `http://127.0.0.1:PORT`, the value for OTEL_EXPORTER_OTLP_ENDPOINT. */
  readonly url: string;
  /** Every span received so far, in arrival order (a live array). */
  readonly spans: ReceivedSpan[];
  readonly metrics: ReceivedMetric[];
  readonly requests: ReceivedRequest[];
  /** Bodies that failed to decode (answered 400). */
  readonly errors: Error[];
  /** Resolves with all spans once `predicate(spans)` holds; rejects after `timeoutMs` (default 10 s). */
  waitFor(predicate: (spans: ReceivedSpan[]) => boolean, timeoutMs?: number): Promise<ReceivedSpan[]>;
  waitForMetrics(predicate: (metrics: ReceivedMetric[]) => boolean, timeoutMs?: number): Promise<ReceivedMetric[]>;
  /** Decompressed body bytes received, for one signal or all. */
  bytes(signal?: Signal): number;
  /** Forgets everything received (between benchmark turns). */
  clear(): void;
  close(): Promise<void>;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const metrics: ReceivedMetric[] = [];
  const requests: ReceivedRequest[] = [];
  const errors: Error[] = [];
  const listeners = new Set<() => void>();

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      errors.push(error instanceof Error ? error : new Error(String(error)));
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    const signal = path === '/v1/traces' ? 'traces' : path === '/v1/metrics' ? 'metrics' : path === '/v1/logs' ? 'logs' : undefined;
    if (req.method !== 'POST' || !signal) {
      res.writeHead(404).end();
      return;
    }
    const wire = await readBody(req);
    const body = decompress(wire, req.headers['content-encoding']);
    const encoding: Encoding = (req.headers['content-type'] ?? '').includes('json') ? 'json' : 'protobuf';
    let items = 0;
    if (signal === 'traces') {
      const decoded = decodeTraces(body, encoding);
      spans.push(...decoded);
      items = decoded.length;
    } else if (signal === 'metrics') {
      const decoded = decodeMetrics(body, encoding);
      metrics.push(...decoded);
      items = decoded.length;
    }
    requests.push({ signal, encoding, wireBytes: wire.length, bytes: body.length, items });
    // An empty Export*ServiceResponse: `{}` in JSON, zero bytes in protobuf.
    if (encoding === 'json') res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    else res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    for (const notify of [...listeners]) notify();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  function waitUntil<T>(read: () => T, predicate: (value: T) => boolean, timeoutMs: number, what: () => string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!predicate(read())) return;
        cleanup();
        resolve(read());
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`OTLP receiver: condition not met within ${timeoutMs} ms; received ${what()}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });
  }

  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    metrics,
    requests,
    errors,
    waitFor: (predicate, timeoutMs = 10_000) =>
      waitUntil(() => spans, predicate, timeoutMs, () => `${spans.length} spans: ${spans.map((s) => s.name).join(', ') || 'none'}`),
    waitForMetrics: (predicate, timeoutMs = 10_000) =>
      waitUntil(() => metrics, predicate, timeoutMs, () => `metrics: ${metrics.map((m) => m.name).join(', ') || 'none'}`),
    bytes: (signal) => requests.filter((r) => !signal || r.signal === signal).reduce((sum, r) => sum + r.bytes, 0),
    clear() {
      spans.length = 0;
      metrics.length = 0;
      requests.length = 0;
      errors.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function decompress(body: Buffer, encoding: string | undefined): Buffer {
  if (encoding === 'gzip') return gunzipSync(body);
  if (encoding === 'deflate') return inflateSync(body);
  return body;
}
