// OTLP bytes per turn: the real host executable (main.ts, which sets up telemetry from OTEL_* variables) on the
// offline model, its two MCP server children exporting too, all sending to a local OTLP/HTTP receiver.
// A fixed conversation of music and support turns, then a clean shutdown (everything flushed); bytes are the
// decompressed request bodies (protobuf, the SDK default) per turn, with and without message content capture.
import { join } from 'node:path';
import { startOtlpReceiver } from '../packages/telemetry/src/testing/otlp-receiver.ts';
import { ADMIN_TOKEN, benchDataDir, chatTurn, LIMITS_OFF, REPO, sessionCookie, SESSION_SECRET, spawnListening } from './lib/host-process.ts';
import { round } from './lib/stats.ts';

export interface OtlpResult {
  turns: number;
  withoutContent: OtlpRun;
  withContent: OtlpRun;
}

interface OtlpRun {
  traceBytesPerTurn: number;
  spansPerTurn: number;
  metricBytesPerTurn: number;
  wireBytesPerTurn: number;
  spansByService: Record<string, number>;
}

const MESSAGES = ['Which albums do you have by AC/DC?', 'Show me my invoices', 'What genres do you have?', 'What is my email address?'];

async function run(turns: number, captureContent: boolean): Promise<OtlpRun> {
  const receiver = await startOtlpReceiver();
  const data = benchDataDir();
  const host = await spawnListening(
    join(REPO, 'packages/agent-host/src/main.ts'),
    [],
    {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: data.dir,
      SESSION_SECRET,
      ADMIN_TOKEN,
      ...LIMITS_OFF,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '200',
      OTEL_METRIC_EXPORT_INTERVAL: '60000',
      ...(captureContent ? { OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true' } : {}),
    },
    /Algorhythm listening on (http:\/\/\S+)/,
  );
  try {
    // Warm-up turn: the children start; its spans are dropped below.
    const cookie = await sessionCookie(host.url, 16);
    await chatTurn(host.url, cookie, MESSAGES[0]!);
    await chatTurn(host.url, cookie, MESSAGES[1]!);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    receiver.clear();
    let conversationId: string | undefined;
    for (let i = 0; i < turns; i++) {
      ({ conversationId } = await chatTurn(host.url, cookie, MESSAGES[i % MESSAGES.length]!, i % 8 === 0 ? undefined : conversationId));
    }
    await host.stop(); // SIGTERM: the host flushes, its children exit and flush
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const spansByService: Record<string, number> = {};
    for (const span of receiver.spans) {
      const service = span.serviceName || 'unknown';
      spansByService[service] = (spansByService[service] ?? 0) + 1;
    }
    const wire = receiver.requests.filter((r) => r.signal === 'traces').reduce((sum, r) => sum + r.wireBytes, 0);
    return {
      traceBytesPerTurn: Math.round(receiver.bytes('traces') / turns),
      spansPerTurn: round(receiver.spans.length / turns),
      metricBytesPerTurn: Math.round(receiver.bytes('metrics') / turns),
      wireBytesPerTurn: Math.round(wire / turns),
      spansByService,
    };
  } finally {
    await host.stop();
    await receiver.close();
    data.remove();
  }
}

export async function benchOtlpBytes(options: { turns: number }): Promise<OtlpResult> {
  return {
    turns: options.turns,
    withoutContent: await run(options.turns, false),
    withContent: await run(options.turns, true),
  };
}
