import { createAnthropicModel } from './adapters/anthropic.ts';
import { createGeminiModel } from './adapters/gemini.ts';
import { createOpenAIModel } from './adapters/openai.ts';
import { createOfflineModel } from './offline/index.ts';
import type { RetryPolicy } from './retry.ts';
import type { RoleModelConfig } from './select.ts';
import type { ChatModel } from './types.ts';

export interface CreateModelOptions {
  /** Test seam (and proxy hook): every vendor SDK uses this fetch. */
  fetch?: typeof globalThis.fetch;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
}

/** The ChatModel for one role's validated config (see selectModels). */
export function createModel(config: RoleModelConfig, options: CreateModelOptions = {}): ChatModel {
  const common = {
    model: config.model,
    ...(config.baseURL ? { baseURL: config.baseURL } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  };
  const apiKey = config.apiKey?.reveal();
  switch (config.provider) {
    case 'offline':
      return createOfflineModel();
    case 'openai':
    case 'deepseek':
      return createOpenAIModel({ ...common, provider: config.provider, ...(apiKey ? { apiKey } : {}) });
    case 'anthropic':
      return createAnthropicModel({ ...common, apiKey: apiKey ?? '' });
    case 'gcp.gemini':
      return createGeminiModel({ ...common, apiKey: apiKey ?? '' });
  }
}
