/** The provider layer's public surface: the contract, the adapters, selection, and test doubles. */
export type * from './types.ts';
export { ModelError } from './types.ts';

export { selectModels, describeSelection, parseModelName, ConfigError, ROLES, ROLE_ENV, DEFAULT_OPENAI_MODEL } from './select.ts';
export type { Role, RoleModelConfig, ModelSelection, SelectableProvider } from './select.ts';
export { createModel } from './create-model.ts';
export type { CreateModelOptions } from './create-model.ts';
export { Secret } from './secret.ts';

export { createOpenAIModel, OPENAI_BASE_URL, DEEPSEEK_BASE_URL } from './adapters/openai.ts';
export type { OpenAIModelSettings } from './adapters/openai.ts';
export { createAnthropicModel, ANTHROPIC_BASE_URL } from './adapters/anthropic.ts';
export type { AnthropicModelSettings } from './adapters/anthropic.ts';
export { createGeminiModel, GEMINI_BASE_URL } from './adapters/gemini.ts';
export type { GeminiModelSettings } from './adapters/gemini.ts';
export { createOfflineModel } from './offline/index.ts';

export { DEFAULT_RETRY_POLICY, callWithRetry, streamWithRetry, retryDelay } from './retry.ts';
export type { RetryPolicy, RetryClock, AttemptContext } from './retry.ts';
export { toModelError, parseRetryAfter } from './errors.ts';

export { createScriptedModel } from './scripted.ts';
export type { ScriptedModel, ScriptedTurn, ScriptedResponse } from './scripted.ts';
