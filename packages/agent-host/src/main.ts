import { captureContentEnabled, SERVICE } from '@algorhythm/telemetry';
import { startTelemetry } from '@algorhythm/telemetry/setup';
import { webRoot } from '@algorhythm/web';
import packageJson from '../package.json' with { type: 'json' };
import { ConfigError, loadConfig } from './config.ts';
import { startHost } from './compose.ts';
import { hostTelemetryOf } from './telemetry/host-telemetry.ts';
import { createSpanSink } from './traces/span-sink.ts';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError || (error instanceof Error && error.name === 'ConfigError')) {
    console.error(`algorhythm: configuration error: ${error.message}`);
    process.exit(1);
  }
  throw error;
}

// Configured by the standard OTEL_* variables, which the SDK reads from the environment itself; with the
// span store on, spans are recorded even with no endpoint and kept in data/traces.db (see /admin/traces).
const spanSink = config.traces.enabled ? createSpanSink() : undefined;
const telemetry = await startTelemetry({
  serviceName: SERVICE.agentHost,
  serviceVersion: packageJson.version,
  env: process.env,
  ...(spanSink ? { localSpanProcessors: [spanSink.processor] } : {}),
});
let host;
try {
  host = await startHost(config, {
    webRoot,
    ...(spanSink ? { spanSink } : {}),
    telemetry: hostTelemetryOf(telemetry, captureContentEnabled(process.env)),
  });
} catch (error) {
  await telemetry.shutdown();
  throw error;
}
console.log(`Algorhythm listening on ${host.url}`);
console.log(`  customer chat: ${host.url}/   admin queue: ${host.url}/admin   traces: ${host.url}/admin/traces`);
if (host.generatedAdminToken) {
  console.log(`  admin token (generated, shown once, kept in ${config.secretsPath}): ${host.adminToken}`);
} else {
  console.log(`  admin token: ADMIN_TOKEN${config.postgres ? '' : ` or ${config.secretsPath}`}`);
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    console.error(`algorhythm: ${signal}, shutting down`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    void host
      .close()
      .then(() => telemetry.shutdown())
      .then(() => process.exit(0));
  });
}
