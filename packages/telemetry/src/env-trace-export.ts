import { diag } from '@opentelemetry/api';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import type { Env } from './setup.ts';

/**
 * The span processors the OTEL_* variables ask for (OTEL_TRACES_EXPORTER otlp/console, the OTLP
 * protocol, OTEL_BSP_*), built as sdk-node builds them. Needed only when a process adds processors of
 * its own (the host's span store): sdk-node then takes the list as given and skips its env export.
 * The exporters read endpoint, headers, compression and timeout from the environment themselves.
 * https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/
 */
export async function envTraceProcessors(env: Env): Promise<SpanProcessor[]> {
  const names = list(env.OTEL_TRACES_EXPORTER);
  const exporters = names.length > 0 ? names : ['otlp'];
  if (exporters.includes('none')) return [];
  const { BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor } = await import('@opentelemetry/sdk-trace');
  const processors: SpanProcessor[] = [];
  for (const name of exporters) {
    if (name === 'console') {
      processors.push(new SimpleSpanProcessor({ exporter: new ConsoleSpanExporter() }));
    } else if (name === 'otlp') {
      const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL)?.trim() || 'http/protobuf';
      if (protocol !== 'http/json' && protocol !== 'http/protobuf') diag.warn(`telemetry: OTLP protocol "${protocol}" unsupported here, using http/protobuf`);
      const { OTLPTraceExporter } =
        protocol === 'http/json' ? await import('@opentelemetry/exporter-trace-otlp-http') : await import('@opentelemetry/exporter-trace-otlp-proto');
      processors.push(
        new BatchSpanProcessor({
          exporter: new OTLPTraceExporter(),
          maxQueueSize: number(env.OTEL_BSP_MAX_QUEUE_SIZE),
          scheduledDelayMillis: number(env.OTEL_BSP_SCHEDULE_DELAY),
          exportTimeoutMillis: number(env.OTEL_BSP_EXPORT_TIMEOUT),
          maxExportBatchSize: number(env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE),
        }),
      );
    } else {
      diag.warn(`telemetry: unsupported OTEL_TRACES_EXPORTER "${name}"`);
    }
  }
  return processors;
}

function number(value: string | undefined): number | undefined {
  const n = Number(value?.trim() || Number.NaN);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}
