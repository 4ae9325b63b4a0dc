import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { HistogramMetricData } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { createGenAiMetrics, OPERATION_DURATION_BUCKETS, TOKEN_USAGE_BUCKETS } from './genai-metrics.ts';
import { METRIC } from './names.ts';

describe('GenAI client metrics', () => {
  it('uses the advised buckets', () => {
    expect(TOKEN_USAGE_BUCKETS).toEqual(Array.from({ length: 14 }, (_, i) => 4 ** i));
    expect(OPERATION_DURATION_BUCKETS.map((b) => Math.round((b / 0.01) * 1000) / 1000)).toEqual(
      Array.from({ length: 14 }, (_, i) => 2 ** i),
    );
  });

  it('records tokens per type and the duration, with error.type only on failures', async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const provider = new MeterProvider({ readers: [reader] });
    const metrics = createGenAiMetrics(provider.getMeter('test'));

    metrics.recordModelCall({
      provider: 'anthropic',
      requestModel: 'claude-3-5-haiku-latest',
      responseModel: 'claude-3-5-haiku-20241022',
      serverAddress: 'api.anthropic.com',
      serverPort: 443,
      durationSeconds: 1.5,
      usage: { inputTokens: 900, outputTokens: 40 },
    });
    metrics.recordModelCall({ provider: 'anthropic', requestModel: 'claude-3-5-haiku-latest', durationSeconds: 0.2, errorType: 'rate_limit' });
    await reader.forceFlush();

    const all = exporter.getMetrics().flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics)) as HistogramMetricData[];
    const tokens = all.find((m) => m.descriptor.name === METRIC.genAiClientTokenUsage);
    const duration = all.find((m) => m.descriptor.name === METRIC.genAiClientOperationDuration);
    expect(tokens?.descriptor.unit).toBe('{token}');
    expect(duration?.descriptor.unit).toBe('s');

    const byType = Object.fromEntries(tokens!.dataPoints.map((p) => [p.attributes['gen_ai.token.type'], p]));
    expect(byType.input?.value.sum).toBe(900);
    expect(byType.output?.value.sum).toBe(40);
    expect(byType.input?.value.buckets.boundaries).toEqual(TOKEN_USAGE_BUCKETS);
    expect(byType.input?.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-3-5-haiku-latest',
      'gen_ai.response.model': 'claude-3-5-haiku-20241022',
      'server.address': 'api.anthropic.com',
      'server.port': 443,
      'gen_ai.token.type': 'input',
    });

    expect(duration!.dataPoints).toHaveLength(2);
    expect(duration!.dataPoints[0]?.value.buckets.boundaries).toEqual(OPERATION_DURATION_BUCKETS);
    const failed = duration!.dataPoints.find((p) => p.attributes['error.type'] === 'rate_limit');
    expect(failed?.value.sum).toBe(0.2);
    expect(duration!.dataPoints.filter((p) => 'error.type' in p.attributes)).toHaveLength(1);
    await provider.shutdown();
  });
});
