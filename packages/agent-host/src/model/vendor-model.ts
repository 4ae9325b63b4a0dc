import { callWithRetry, streamWithRetry } from './retry.ts';
import type { AttemptContext, RetryClock, RetryPolicy } from './retry.ts';
import type { ChatModel, ChatRequest, ChatResponse, ProviderName, StreamEvent } from './types.ts';

/** Settings every vendor adapter shares besides its own key and URL. */
export interface CommonModelSettings {
  /** Per attempt (streams: longest silence between chunks). Overrides `retry.timeoutMs`. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Test seam for the retry waits. */
  clock?: RetryClock;
}

/** A hosted vendor's model: which one, the key, and where (a proxy or a test's fake server). */
export interface HostedModelSettings extends CommonModelSettings {
  model: string;
  apiKey: string;
  baseURL?: string;
  fetch?: typeof globalThis.fetch;
}

/**
 * Wraps a vendor's single-attempt calls in the shared retry policy. The adapters only translate;
 * timeouts, retries and error mapping happen here, identically for every vendor.
 */
export function createVendorModel(options: {
  provider: ProviderName;
  modelId: string;
  endpoint: { address: string; port: number } | undefined;
  settings: CommonModelSettings;
  secrets: readonly string[];
  generateOnce(request: ChatRequest, attempt: AttemptContext): Promise<ChatResponse>;
  streamOnce(request: ChatRequest, attempt: AttemptContext): AsyncIterable<StreamEvent>;
}): ChatModel {
  const { provider, settings } = options;
  const policy = { ...settings.retry, ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}) };
  const retryOptions = (request: ChatRequest) => ({
    provider,
    policy,
    secrets: options.secrets,
    ...(request.signal ? { signal: request.signal } : {}),
    ...(settings.clock ? { clock: settings.clock } : {}),
  });
  return {
    provider,
    modelId: options.modelId,
    displayName: `${options.modelId} (${provider})`,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    generate: (request) => callWithRetry(retryOptions(request), (attempt) => options.generateOnce(request, attempt)),
    stream: (request) => streamWithRetry(retryOptions(request), (attempt) => options.streamOnce(request, attempt)),
  };
}
