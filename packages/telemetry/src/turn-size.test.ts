import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOtlpReceiver } from './testing/otlp-receiver.ts';
import type { OtlpReceiver } from './testing/otlp-receiver.ts';

const FIXTURE = fileURLToPath(new URL('./testing/fixtures/typical-turn.ts', import.meta.url));

/**
 * A guard on the attribute design: the host's 9 spans for a typical turn (4 model calls, 2 tools),
 * uncompressed, with our default resource. OTLP/JSON spends ~60 bytes per attribute and ~150 per
 * span on envelope, so JSON is about twice protobuf (the default protocol). The whole-system
 * benchmark with both MCP servers lives with the host.
 */
describe('bytes per turn', () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(() => receiver.close());

  it.each([
    ['http/json', 'none', 11 * 1024],
    ['http/protobuf', 'none', 5.5 * 1024],
    ['http/json', 'gzip', 2 * 1024],
  ])('keeps the host part of a typical turn small over %s, compression %s', async (protocol, compression, budget) => {
    receiver.clear();
    await promisify(execFile)(process.execPath, [FIXTURE], {
      env: {
        PATH: process.env.PATH ?? '',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_EXPORTER_OTLP_COMPRESSION: compression,
        OTEL_METRICS_EXPORTER: 'none',
      },
    });
    const spans = await receiver.waitFor((s) => s.length >= 9);
    expect(spans).toHaveLength(9);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    const bytes = receiver.bytes('traces');
    const wire = receiver.requests.reduce((sum, r) => sum + r.wireBytes, 0);
    console.info(`typical turn, host spans only, ${protocol} ${compression}: ${spans.length} spans, ${bytes} bytes (${wire} on the wire)`);
    expect(wire).toBeLessThan(budget);
  });
});
