import type { Attributes, Histogram, Meter } from '@opentelemetry/api';
import { ATTR, GEN_AI_OPERATION, GEN_AI_TOKEN_TYPE, METRIC } from './names.ts';

/** Advised ExplicitBucketBoundaries for `gen_ai.client.token.usage` (gen-ai-metrics.md): 4^0 … 4^13. */
export const TOKEN_USAGE_BUCKETS: readonly number[] = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];

/** Advised ExplicitBucketBoundaries for `gen_ai.client.operation.duration`, seconds: 0.01 · 2^0 … 2^13. */
export const OPERATION_DURATION_BUCKETS: readonly number[] = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];

export interface ModelCallRecord {
  /** Defaults to `chat`. */
  operation?: string;
  provider: string;
  requestModel: string;
  responseModel?: string;
  serverAddress?: string;
  serverPort?: number;
  durationSeconds: number;
  /** Omit when the provider reported none (a failed call); the conventions forbid guessing. */
  usage?: { inputTokens: number; outputTokens: number };
  /** Set when the call failed; recorded on the duration only. */
  errorType?: string;
}

export interface GenAiMetrics {
  recordModelCall(record: ModelCallRecord): void;
}

/**
 * The two GenAI client histograms. Boundaries go in as instrument advice, so no SDK view is
 * needed; with no meter provider registered (no endpoint) the meter is a no-op and so is this.
 */
export function createGenAiMetrics(meter: Meter): GenAiMetrics {
  const tokenUsage: Histogram = meter.createHistogram(METRIC.genAiClientTokenUsage, {
    description: 'Number of input and output tokens used.',
    unit: '{token}',
    advice: { explicitBucketBoundaries: [...TOKEN_USAGE_BUCKETS] },
  });
  const duration: Histogram = meter.createHistogram(METRIC.genAiClientOperationDuration, {
    description: 'GenAI operation duration.',
    unit: 's',
    advice: { explicitBucketBoundaries: [...OPERATION_DURATION_BUCKETS] },
  });

  return {
    recordModelCall(record) {
      const common: Attributes = {
        [ATTR.genAiOperationName]: record.operation ?? GEN_AI_OPERATION.chat,
        [ATTR.genAiProviderName]: record.provider,
        [ATTR.genAiRequestModel]: record.requestModel,
      };
      if (record.responseModel) common[ATTR.genAiResponseModel] = record.responseModel;
      if (record.serverAddress) {
        common[ATTR.serverAddress] = record.serverAddress;
        if (record.serverPort !== undefined) common[ATTR.serverPort] = record.serverPort;
      }
      duration.record(
        record.durationSeconds,
        record.errorType ? { ...common, [ATTR.errorType]: record.errorType } : common,
      );
      if (record.usage) {
        tokenUsage.record(record.usage.inputTokens, { ...common, [ATTR.genAiTokenType]: GEN_AI_TOKEN_TYPE.input });
        tokenUsage.record(record.usage.outputTokens, { ...common, [ATTR.genAiTokenType]: GEN_AI_TOKEN_TYPE.output });
      }
    },
  };
}
