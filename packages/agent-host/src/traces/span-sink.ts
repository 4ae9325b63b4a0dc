import type { ReadableSpan, SpanProcessor } from '@algorhythm/telemetry/setup';
import { fromReadableSpan, type SpanRecord } from './span-record.ts';

export interface SpanSink {
  /** For `startTelemetry({ localSpanProcessors })`: the host's own spans, in-process. */
  processor: SpanProcessor;
  /** Where spans go from now on (the trace store, once the composition root opened it). */
  attach(write: (spans: readonly SpanRecord[]) => unknown): void;
  detach(): void;
}

export interface SpanSinkOptions {
  /** How long ended spans wait, so one turn's spans are written in one transaction. */
  delayMs?: number;
  /** Spans kept while nothing is attached (start-up, shutdown); the oldest go first. */
  maxBuffered?: number;
}

/**
 * A span processor that hands ended spans to the trace store in batches, off the request path: ending a
 * span costs one array push; the SQLite write happens on a short timer. The buffer holds the SDK's own span
 * objects (kept alive anyway until the exporter's batch goes) and converts them at the write, so the records
 * are born and dropped within one flush: nothing of ours lives long enough for the old generation's GC.
 */
export function createSpanSink({ delayMs = 250, maxBuffered = 10_000 }: SpanSinkOptions = {}): SpanSink {
  let buffer: ReadableSpan[] = [];
  let write: ((spans: readonly SpanRecord[]) => unknown) | undefined;
  let timer: NodeJS.Timeout | undefined;

  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!write || buffer.length === 0) return;
    const batch = buffer;
    buffer = [];
    const report = (error: unknown) =>
      process.stderr.write(`[traces] could not store ${batch.length} span(s): ${String(error)}\n`);
    try {
      void Promise.resolve(write(batch.map(fromReadableSpan))).catch(report);
    } catch (error) {
      report(error);
    }
  };
  const schedule = (): void => {
    if (timer || !write) return;
    timer = setTimeout(flush, delayMs);
    timer.unref();
  };

  const processor: SpanProcessor = {
    onStart: () => {},
    onEnd(span: ReadableSpan) {
      buffer.push(span);
      if (buffer.length > maxBuffered) buffer.splice(0, buffer.length - maxBuffered);
      schedule();
    },
    forceFlush: async () => flush(),
    shutdown: async () => flush(),
  };
  return {
    processor,
    attach(next) {
      write = next;
      schedule();
    },
    detach() {
      flush();
      write = undefined;
    },
  };
}
