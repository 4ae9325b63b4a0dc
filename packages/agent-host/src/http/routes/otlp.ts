import { gunzipSync, inflateSync } from 'node:zlib';
import { decodeTraces, type Encoding } from '@algorhythm/telemetry/otlp/decode';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../../errors.ts';
import { fromReceivedSpan } from '../../traces/span-record.ts';
import type { OtlpRelay } from '../../traces/relay.ts';
import type { TraceStore } from '../../traces/trace-store.ts';
import { tokenMatches } from '../middleware/admin-auth.ts';

export interface OtlpIngestDeps {
  store: TraceStore;
  /** Minted at start and given to the MCP servers the host spawns (see traces/ingest.ts). */
  token: string;
  relay?: OtlpRelay;
  /** Largest accepted body, compressed and decompressed. */
  maxBytes?: number;
}

/**
 * OTLP/HTTP `/v1/traces` (protobuf or JSON, gzip or not) into the span store. Not an open ingest:
 * only callers with the host's token (its own MCP servers) are heard. A body that does not decode
 * is a 400 and stores nothing. https://opentelemetry.io/docs/specs/otlp/#otlphttp
 */
export function otlpRoutes({ store, token, relay, maxBytes = 4 * 1024 * 1024 }: OtlpIngestDeps) {
  return new Hono().post(
    '/v1/traces',
    async function requireIngestToken(c, next) {
      const match = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
      if (!match || !tokenMatches(token, match[1]!)) throw new AppError('unauthorized', 'This endpoint takes spans from the host’s own services only.');
      return next();
    },
    bodyLimit({
      maxSize: maxBytes,
      onError: () => {
        throw new AppError('too_large', 'OTLP request body is too large.');
      },
    }),
    async (c) => {
      const contentType = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      const encoding: Encoding | undefined =
        contentType === 'application/json' ? 'json' : contentType === 'application/x-protobuf' ? 'protobuf' : undefined;
      if (!encoding) throw new AppError('bad_request', 'Content-Type must be application/x-protobuf or application/json.');
      const wire = new Uint8Array(await c.req.arrayBuffer());
      const contentEncoding = c.req.header('content-encoding')?.trim().toLowerCase() || undefined;
      const body = decompress(wire, contentEncoding, maxBytes);
      let spans;
      try {
        spans = decodeTraces(body, encoding).map(fromReceivedSpan);
      } catch (error) {
        throw new AppError('bad_request', `Malformed OTLP traces request: ${error instanceof Error ? error.message : String(error)}`);
      }
      await store.write(spans);
      relay?.forward(wire, { contentType, contentEncoding });
      // An empty ExportTraceServiceResponse: `{}` in JSON, zero bytes in protobuf.
      return encoding === 'json' ? c.json({}) : c.body(null, 200, { 'content-type': 'application/x-protobuf' });
    },
  );
}

function decompress(body: Uint8Array, encoding: string | undefined, maxBytes: number): Uint8Array {
  if (!encoding || encoding === 'identity') return body;
  if (encoding !== 'gzip' && encoding !== 'deflate') throw new AppError('bad_request', `Unsupported Content-Encoding ${encoding}.`);
  try {
    return (encoding === 'gzip' ? gunzipSync : inflateSync)(body, { maxOutputLength: maxBytes });
  } catch (error) {
    if (error instanceof RangeError) throw new AppError('too_large', 'OTLP request body is too large once decompressed.');
    throw new AppError('bad_request', 'Body does not decompress.');
  }
}
