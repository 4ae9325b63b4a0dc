import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATION_DURATION_BUCKETS, TOKEN_USAGE_BUCKETS } from './genai-metrics.ts';
import { extractTraceContext, injectTraceMeta } from './mcp-meta.ts';
import { ATTR, METRIC } from './names.ts';
import { exportPlan, startTelemetry } from './setup.ts';
import { startOtlpReceiver } from './testing/otlp-receiver.ts';
import type { OtlpReceiver } from './testing/otlp-receiver.ts';
import { withSpan } from './with-span.ts';

const FIXTURE = fileURLToPath(new URL('./testing/fixtures/traced-child.ts', import.meta.url));
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN_ID = '00f067aa0ba902b7';
const INCOMING = { traceparent: `00-${TRACE_ID}-${PARENT_SPAN_ID}-01`, tracestate: 'algo=1' };

interface ChildResult {
  code: number | null;
  stdout: { outgoing: Record<string, string>; exporting: { traces: boolean; metrics: boolean } };
  stderr: string;
}

/** Runs the fixture with exactly these variables (plus PATH), as a separate MCP server process would run. */
function runChild(env: Record<string, string>): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [FIXTURE],
      { env: { PATH: process.env.PATH ?? '', FIXTURE_META: JSON.stringify(INCOMING), ...env }, timeout: 20_000 },
      (error, stdout, stderr) => {
        if (error && error.code === undefined) return reject(error);
        try {
          resolve({ code: error ? Number(error.code) : 0, stdout: JSON.parse(stdout), stderr });
        } catch {
          reject(new Error(`child failed: ${stdout}\n${stderr}`));
        }
      },
    );
  });
}

describe('exportPlan', () => {
  it('exports OTLP only with an endpoint', () => {
    expect(exportPlan({})).toEqual({ disabled: false, traces: false, metrics: false });
    expect(exportPlan({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otlp.example' })).toEqual({ disabled: false, traces: true, metrics: true });
    expect(exportPlan({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://x/v1/traces' })).toEqual({ disabled: false, traces: true, metrics: false });
    expect(exportPlan({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' }).traces).toBe(false);
  });

  it('honours the exporter lists and OTEL_SDK_DISABLED', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x' };
    expect(exportPlan({ ...endpoint, OTEL_METRICS_EXPORTER: 'none' })).toMatchObject({ traces: true, metrics: false });
    expect(exportPlan({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' })).toMatchObject({ traces: false, metrics: true });
    expect(exportPlan({ OTEL_TRACES_EXPORTER: 'console' })).toMatchObject({ traces: true, metrics: false });
    expect(exportPlan({ ...endpoint, OTEL_SDK_DISABLED: 'TRUE' })).toEqual({ disabled: true, traces: false, metrics: false });
  });
});

describe('startTelemetry in-process', () => {
  it('with no endpoint: records nothing, yet propagates an incoming parent unchanged', async () => {
    const telemetry = await startTelemetry({ serviceName: 'test', env: {} });
    expect(telemetry.exporting).toEqual({ traces: false, metrics: false });

    const parent = extractTraceContext(INCOMING);
    const outgoing = await withSpan(telemetry.tracer, 'tools/call echo', { kind: SpanKind.SERVER, parent }, async (span) => {
      expect(span.isRecording()).toBe(false);
      await new Promise((r) => setTimeout(r, 1));
      return injectTraceMeta({});
    });
    expect(outgoing).toEqual(INCOMING);
    // Without a parent there is nothing to propagate and no ids are made up.
    expect(await withSpan(telemetry.tracer, 'root', {}, () => injectTraceMeta({}))).toEqual({});

    await telemetry.shutdown();
    await telemetry.shutdown(); // idempotent
    expect(propagation.fields()).toEqual([]);
  });

  it('with an injected span processor: records spans with the service resource, then unregisters on shutdown', async () => {
    const exporter = new InMemorySpanExporter();
    const telemetry = await startTelemetry({
      serviceName: 'algorhythm-agent-host',
      serviceVersion: '0.1.0',
      env: {},
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
    });
    expect(telemetry.exporting).toEqual({ traces: true, metrics: false });
    await withSpan(telemetry.tracer, 'invoke_agent supervisor', {}, () =>
      withSpan(telemetry.tracer, 'chat offline', { kind: SpanKind.CLIENT }, () => undefined),
    );
    await telemetry.forceFlush();
    const [chat, agent] = exporter.getFinishedSpans();
    expect(chat?.parentSpanContext?.spanId).toBe(agent?.spanContext().spanId);
    expect(agent?.resource.attributes['service.name']).toBe('algorhythm-agent-host');
    expect(agent?.resource.attributes['service.version']).toBe('0.1.0');
    expect(agent?.resource.attributes['service.namespace']).toBe('algorhythm');
    expect(agent?.instrumentationScope.name).toBe('algorhythm-agent-host');

    await Promise.all([telemetry.shutdown(), telemetry.shutdown()]);
    expect(trace.getTracer('after').startSpan('x').isRecording()).toBe(false);
    expect(context.active()).toBe(context.active()); // still usable, just the no-op manager
  });
});

describe('startTelemetry in a child process, configured only by OTEL_* variables', () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(() => receiver.close());

  describe.each(['http/protobuf', 'http/json'])('over %s', (protocol) => {
    it('continues the parent trace, and exports spans and the GenAI histograms to the receiver', async () => {
      receiver.clear();
      const child = await runChild({
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=test',
        OTEL_BSP_SCHEDULE_DELAY: '50',
        FIXTURE_FAIL: 'true',
      });
      expect(child.code).toBe(0);
      expect(child.stderr).toBe('');
      expect(child.stdout.exporting).toEqual({ traces: true, metrics: true });

      const spans = await receiver.waitFor((s) => s.length >= 3);
      expect(new Set(receiver.requests.map((r) => r.encoding))).toEqual(new Set([protocol === 'http/json' ? 'json' : 'protobuf']));
      const server = spans.find((s) => s.name === 'tools/call echo');
      const db = spans.find((s) => s.name === 'SELECT Album');
      const failing = spans.find((s) => s.name === 'failing step');

      // One trace id across the process boundary; the server span's parent is the remote client span.
      expect(spans.every((s) => s.traceId === TRACE_ID)).toBe(true);
      expect(server?.parentSpanId).toBe(PARENT_SPAN_ID);
      expect(server?.traceState).toBe('algo=1');
      expect(server?.kind).toBe(SpanKind.SERVER);
      expect(server?.attributes).toEqual({
        'mcp.method.name': 'tools/call',
        'mcp.protocol.version': '2025-06-18',
        'jsonrpc.request.id': '7',
        'network.transport': 'pipe',
        'gen_ai.tool.name': 'echo',
        'gen_ai.operation.name': 'execute_tool',
      });
      expect(db?.parentSpanId).toBe(server?.spanId);
      expect(db?.kind).toBe(SpanKind.CLIENT);
      expect(db?.attributes).toMatchObject({ 'db.system.name': 'sqlite', 'db.collection.name': 'Album', 'db.response.returned_rows': 3 });
      expect(failing?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'database is locked' });
      expect(failing?.attributes[ATTR.errorType]).toBe('SQLITE_BUSY');
      expect(failing?.events[0]?.name).toBe('exception');
      expect(server?.resource).toMatchObject({
        'service.name': 'fixture-child',
        'service.version': '1.2.3',
        'deployment.environment.name': 'test',
      });
      expect(server?.durationMs).toBeGreaterThanOrEqual(0);

      // What the child would send onwards carries the same trace, parented on its server span.
      expect(child.stdout.outgoing).toEqual({
        progressToken: 1,
        traceparent: `00-${TRACE_ID}-${server?.spanId}-01`,
        tracestate: 'algo=1',
      });

      const metrics = await receiver.waitForMetrics((m) => m.some((x) => x.name === METRIC.genAiClientTokenUsage));
      const tokens = metrics.find((m) => m.name === METRIC.genAiClientTokenUsage);
      const duration = metrics.find((m) => m.name === METRIC.genAiClientOperationDuration);
      expect(tokens?.type).toBe('histogram');
      expect(tokens?.unit).toBe('{token}');
      const input = tokens?.dataPoints.find((p) => p.attributes['gen_ai.token.type'] === 'input');
      expect(input).toMatchObject({ count: 1, sum: 120, explicitBounds: TOKEN_USAGE_BUCKETS });
      expect(input?.attributes).toMatchObject({ 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini' });
      expect(duration?.dataPoints[0]).toMatchObject({ count: 1, sum: 0.42, explicitBounds: OPERATION_DURATION_BUCKETS });
      expect(receiver.bytes('traces')).toBeGreaterThan(0);
    });
  });

  it('lets OTEL_SERVICE_NAME override the code’s service name', async () => {
    receiver.clear();
    const child = await runChild({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: 'renamed',
      OTEL_METRICS_EXPORTER: 'none',
    });
    expect(child.stdout.exporting).toEqual({ traces: true, metrics: false });
    const spans = await receiver.waitFor((s) => s.length >= 2);
    expect(new Set(spans.map((s) => s.serviceName))).toEqual(new Set(['renamed']));
    expect(receiver.requests.some((r) => r.signal === 'metrics')).toBe(false);
  });

  it('with no endpoint: exports nothing, logs nothing, and still passes the parent on', async () => {
    receiver.clear();
    const child = await runChild({ OTEL_BSP_SCHEDULE_DELAY: '50' });
    expect(child.code).toBe(0);
    expect(child.stderr).toBe('');
    expect(child.stdout.exporting).toEqual({ traces: false, metrics: false });
    expect(child.stdout.outgoing).toEqual({ progressToken: 1, ...INCOMING });
    await new Promise((r) => setTimeout(r, 200));
    expect(receiver.requests).toEqual([]);
  });

  it('keeps stdout clean for stdio MCP servers: SDK diagnostics, even at debug level, go to stderr', async () => {
    receiver.clear();
    const child = await runChild({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_LOG_LEVEL: 'debug', OTEL_METRIC_EXPORT_INTERVAL: '1000' });
    expect(child.code).toBe(0); // runChild parsed stdout as the fixture's single JSON line
    expect(child.stderr).toContain('[otel]');
  });

  it('exits cleanly when the collector is unreachable, reporting the failed export on stderr', async () => {
    const closed = await startOtlpReceiver();
    const url = closed.url;
    await closed.close();
    const child = await runChild({ OTEL_EXPORTER_OTLP_ENDPOINT: url, OTEL_EXPORTER_OTLP_TIMEOUT: '300' });
    expect(child.code).toBe(0);
    expect(child.stdout.exporting.traces).toBe(true);
    expect(child.stderr).toContain('telemetry: final export failed');
  });

  it('with OTEL_SDK_DISABLED: registers nothing at all', async () => {
    const child = await runChild({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SDK_DISABLED: 'true' });
    expect(child.stdout.exporting).toEqual({ traces: false, metrics: false });
    expect(child.stdout.outgoing).toEqual({ progressToken: 1 });
  });
});
