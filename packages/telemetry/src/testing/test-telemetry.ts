import { startTelemetry, type Telemetry } from '../setup.ts';
import { startOtlpReceiver, type OtlpReceiver } from './otlp-receiver.ts';

export interface TestTelemetry {
  receiver: OtlpReceiver;
  telemetry: Telemetry;
  /** The OTEL_* variables pointing at the receiver: hand them to child processes (MCP servers). */
  env: Record<string, string>;
  /** Shuts the SDK and the receiver down and puts process.env back as it was. */
  close(): Promise<void>;
}

/**
 * The real SDK of this process exporting to a local OTLP receiver, for tests that assert on spans.
 * `extraEnv` adds OTEL_* settings (OTEL_BSP_SCHEDULE_DELAY=50 makes child processes export promptly).
 */
export async function startTestTelemetry(serviceName: string, extraEnv: Record<string, string> = {}): Promise<TestTelemetry> {
  const receiver = await startOtlpReceiver();
  const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, ...extraEnv };
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  // The SDK reads its settings from process.env, as it does in production.
  Object.assign(process.env, env);
  const telemetry = await startTelemetry({ serviceName, env: process.env });
  return {
    receiver,
    telemetry,
    env,
    async close() {
      await telemetry.shutdown();
      await receiver.close();
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    },
  };
}
