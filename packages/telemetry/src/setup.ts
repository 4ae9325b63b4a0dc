import { format } from 'node:util';
import { context, diag, DiagLogLevel, metrics, propagation, trace } from '@opentelemetry/api';
import type { DiagLogger, Meter, TextMapPropagator, Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import type { IMetricReader } from '@opentelemetry/sdk-metrics';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import { envTraceProcessors } from './env-trace-export.ts';
import { RESOURCE_ATTR } from './names.ts';

/** For in-process span sinks (`localSpanProcessors`), so they need not depend on the SDK themselves. */
export type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';

/**
 * OpenTelemetry for one process's composition root, configured only by the standard OTEL_*
 * variables (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/).
 *
 * - Endpoint set (OTEL_EXPORTER_OTLP_ENDPOINT, or the per-signal _TRACES_/_METRICS_ENDPOINT):
 *   `@opentelemetry/sdk-node` exports traces and metrics over OTLP/HTTP, protobuf by default or JSON
 *   with OTEL_EXPORTER_OTLP_PROTOCOL=http/json; headers, compression, sampler, resource, batch and
 *   limits all come from the variables. `console` exporters work too, for debugging. The resource
 *   holds `service.*` only unless OTEL_NODE_RESOURCE_DETECTORS asks for host/process details.
 * - No endpoint: sdk-node is not even imported (it costs ~0.5 s to load). Only the async-local
 *   context manager and the W3C propagators are registered, with no tracer or meter provider, so
 *   the API's no-op tracer hands out non-recording spans that carry the *parent's* span context:
 *   a `traceparent` that came in (HTTP header, MCP `_meta`) goes out unchanged, with its sampled
 *   flag, and one trace still spans the processes that do export. No ids are generated, nothing
 *   is recorded or buffered.
 * - OTEL_SDK_DISABLED=true: nothing at all is registered.
 * - `localSpanProcessors` (the agent host's span store): spans are recorded even with no endpoint,
 *   and handed to those processors in-process; an endpoint, when set, still gets them too.
 *
 * No auto-instrumentation: we make our own spans, and the http instrumentation would add a second
 * SERVER span per request (ours carries `http.route`) while undici's would add a CLIENT span under
 * every `chat` span for the vendor call, doubling bytes per turn for no new information.
 *
 * The SDK reads the variables from `process.env`; `env` decides what to start and must be the same
 * environment (the composition root passes its validated `process.env`).
 */

export type Env = Readonly<Record<string, string | undefined>>;

export interface StartTelemetryOptions {
  /** Default `service.name`; OTEL_SERVICE_NAME or `service.name` in OTEL_RESOURCE_ATTRIBUTES wins. */
  serviceName: string;
  serviceVersion?: string;
  /** Instrumentation scope of the returned tracer and meter; defaults to `serviceName`. */
  scopeName?: string;
  env: Env;
  /** Test seam: span processors to use instead of the env-configured export. */
  spanProcessors?: SpanProcessor[];
  /**
   * In-process span sinks kept beside the env-configured export (not instead of it): with them,
   * traces are recorded whatever the endpoint. OTEL_SDK_DISABLED=true still turns everything off.
   */
  localSpanProcessors?: SpanProcessor[];
  /** Test seam: metric readers to use instead of the env-configured export. */
  metricReaders?: IMetricReader[];
}

export interface Telemetry {
  tracer: Tracer;
  meter: Meter;
  /**
   * A tracer for another service that runs inside this process (the host's in-process MCP services): its spans
   * carry that service's resource (`service.name`) and go where this process's spans go. With nothing recording,
   * the API's non-recording tracer, which still carries the parent's context.
   */
  serviceTracer(serviceName: string, serviceVersion: string): Tracer;
  /** Whether spans and metrics are recorded: exported, or kept in-process (`localSpanProcessors`). */
  exporting: { traces: boolean; metrics: boolean };
  /** Exports whatever is buffered now (for tests and before a risky exit). */
  forceFlush(): Promise<void>;
  /**
   * Flushes, stops and unregisters everything. Idempotent; safe to call from several signal
   * handlers. Never rejects: a failed final export is reported on stderr. With an unreachable
   * collector it can take up to OTEL_EXPORTER_OTLP_TIMEOUT (10 s by default) while the exporter retries.
   */
  shutdown(): Promise<void>;
}

export interface ExportPlan {
  disabled: boolean;
  traces: boolean;
  metrics: boolean;
}

/** What the standard variables ask for. `otlp` (the default exporter) counts only with an endpoint. */
export function exportPlan(env: Env): ExportPlan {
  const disabled = env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true';
  const wants = (signal: 'TRACES' | 'METRICS', local: string[]): boolean => {
    const listed = list(env[`OTEL_${signal}_EXPORTER`]);
    const exporters = listed.length > 0 ? listed : ['otlp'];
    if (disabled || exporters.includes('none')) return false;
    const endpoint = env[`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`]?.trim() || env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
    return (exporters.includes('otlp') && Boolean(endpoint)) || exporters.some((e) => local.includes(e));
  };
  return { disabled, traces: wants('TRACES', ['console']), metrics: wants('METRICS', ['console', 'prometheus']) };
}

export async function startTelemetry(options: StartTelemetryOptions): Promise<Telemetry> {
  const plan = exportPlan(options.env);
  const scope = options.scopeName ?? options.serviceName;
  const local = plan.disabled ? [] : (options.localSpanProcessors ?? []);
  // Built here, not by sdk-node from the environment, so tracers of in-process services can share them.
  const spanProcessors = options.spanProcessors ?? [...local, ...(plan.traces ? await envTraceProcessors(options.env) : [])];
  const metricReaders = options.metricReaders ?? (plan.metrics ? undefined : []);
  const exporting = { traces: spanProcessors?.length !== 0, metrics: metricReaders?.length !== 0 };

  let stop: () => Promise<void>;
  if (plan.disabled && !options.spanProcessors && !options.metricReaders) {
    stop = async () => {};
    exporting.traces = exporting.metrics = false;
  } else if (!exporting.traces && !exporting.metrics) {
    stop = registerPropagationOnly(options.env);
  } else {
    stop = await startSdk(options, spanProcessors, metricReaders);
  }

  let shutdownPromise: Promise<void> | undefined;
  const serviceTracer = exporting.traces
    ? await serviceTracerFactory(spanProcessors)
    : (serviceName: string, serviceVersion: string) => trace.getTracer(serviceName, serviceVersion);
  return {
    tracer: trace.getTracer(scope, options.serviceVersion),
    serviceTracer,
    meter: metrics.getMeter(scope, options.serviceVersion),
    exporting,
    forceFlush: () => forceFlushGlobals(),
    shutdown() {
      shutdownPromise ??= stop();
      return shutdownPromise;
    },
  };
}

/**
 * A provider of its own (its resource names the service) over the process's span processors; never registered
 * globally nor shut down: the process's SDK flushes and stops the shared processors. Context and propagation are the
 * process's global ones, so a call's parent is whatever span is active in the caller.
 */
async function serviceTracerFactory(processors: SpanProcessor[]): Promise<(serviceName: string, serviceVersion: string) => Tracer> {
  const [{ TracerProvider }, { defaultResource, resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/resources'),
  ]);
  const shared = processors.map(
    (processor): SpanProcessor => ({
      onStart: (span, parent) => processor.onStart(span, parent),
      onEnd: (span) => processor.onEnd(span),
      forceFlush: async () => {},
      shutdown: async () => {},
    }),
  );
  return (serviceName, serviceVersion) => {
    const resource = defaultResource().merge(
      resourceFromAttributes({
        [RESOURCE_ATTR.serviceName]: serviceName,
        [RESOURCE_ATTR.serviceNamespace]: 'algorhythm',
        [RESOURCE_ATTR.serviceVersion]: serviceVersion,
      }),
    );
    return new TracerProvider({ resource, spanProcessors: shared }).getTracer(serviceName, serviceVersion);
  };
}

/** No-endpoint mode: context flows and propagates, nothing is recorded. */
function registerPropagationOnly(env: Env): () => Promise<void> {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  const propagator = propagatorFromEnv(env);
  if (propagator) propagation.setGlobalPropagator(propagator);
  return async () => {
    propagation.disable();
    context.disable();
  };
}

/** OTEL_PROPAGATORS, W3C only (b3 needs sdk-node's exporting mode); default tracecontext,baggage. */
function propagatorFromEnv(env: Env): TextMapPropagator | undefined {
  const names = list(env.OTEL_PROPAGATORS);
  if (names.includes('none')) return undefined;
  const wanted = names.length > 0 ? names : ['tracecontext', 'baggage'];
  const propagators: TextMapPropagator[] = [];
  if (wanted.includes('tracecontext')) propagators.push(new W3CTraceContextPropagator());
  if (wanted.includes('baggage')) propagators.push(new W3CBaggagePropagator());
  return propagators.length > 0 ? new CompositePropagator({ propagators }) : undefined;
}

async function startSdk(
  options: StartTelemetryOptions,
  spanProcessors: SpanProcessor[] | undefined,
  metricReaders: IMetricReader[] | undefined,
): Promise<() => Promise<void>> {
  const [{ startNodeSdk }, { defaultResource, resourceFromAttributes, serviceInstanceIdDetector, serviceNameEnvDetector }] =
    await Promise.all([
      import('@opentelemetry/sdk-node'),
      import('@opentelemetry/resources'),
    ]);
  const level = logLevelFromEnv(options.env.OTEL_LOG_LEVEL);
  const base: Record<string, string> = {
    [RESOURCE_ATTR.serviceName]: options.serviceName,
    [RESOURCE_ATTR.serviceNamespace]: 'algorhythm',
  };
  if (options.serviceVersion) base[RESOURCE_ATTR.serviceVersion] = options.serviceVersion;
  const sdk = startNodeSdk({
    // sdk-node logs through console.info/debug, i.e. stdout, which is the JSON-RPC channel of a
    // stdio MCP server: keep it to warnings while it starts, then route diag to stderr below.
    logLevel: DiagLogLevel[Math.min(level, DiagLogLevel.WARN)],
    // Lowest precedence: OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES override these.
    baseResource: defaultResource().merge(resourceFromAttributes(base)),
    // sdk-node's default detectors add ~1.2 KB of host.* and process.* (command line, paths) to
    // every export; keep service.* unless OTEL_NODE_RESOURCE_DETECTORS asks for more.
    resourceDetectors: options.env.OTEL_NODE_RESOURCE_DETECTORS?.trim()
      ? undefined
      : [serviceInstanceIdDetector, serviceNameEnvDetector],
    spanProcessors,
    metricReaders,
    logRecordProcessors: [],
    instrumentations: [],
  });
  diag.setLogger(stderrLogger, { logLevel: level, suppressOverrideMessage: true });
  return async () => {
    try {
      await sdk.shutdown();
    } catch (error) {
      // An unreachable collector must not turn a clean exit into a crash.
      diag.error('telemetry: final export failed', error);
    } finally {
      trace.disable();
      metrics.disable();
      propagation.disable();
      context.disable();
      diag.disable();
    }
  };
}

async function forceFlushGlobals(): Promise<void> {
  const tracerProvider = trace.getTracerProvider() as { getDelegate?: () => unknown };
  const delegate = tracerProvider.getDelegate?.() ?? tracerProvider;
  const flushables = [delegate, metrics.getMeterProvider()] as Array<{ forceFlush?: () => Promise<void> }>;
  await Promise.all(flushables.map((p) => (typeof p.forceFlush === 'function' ? p.forceFlush() : undefined)));
}

function logLevelFromEnv(value: string | undefined): DiagLogLevel {
  const key = value?.trim().toUpperCase() ?? 'INFO';
  const level = (DiagLogLevel as unknown as Record<string, number | undefined>)[key];
  return typeof level === 'number' ? level : DiagLogLevel.INFO;
}

const write = (...args: unknown[]): void => {
  process.stderr.write(`[otel] ${format(...args)}\n`);
};
const stderrLogger: DiagLogger = { error: write, warn: write, info: write, debug: write, verbose: write };

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}
