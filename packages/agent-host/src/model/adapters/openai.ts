import OpenAI from 'openai';
import { endpointOf } from '../endpoint.ts';
import type { ChatModel } from '../types.ts';
import { createVendorModel } from '../vendor-model.ts';
import type { CommonModelSettings } from '../vendor-model.ts';
import { toOpenAIRequest } from './openai-request.ts';
import { fromOpenAIResponse } from './openai-response.ts';
import { fromOpenAIStream } from './openai-stream.ts';

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';
export const DEEPSEEK_BASE_URL = 'https://api.deepseek.com';

export interface OpenAIModelSettings extends CommonModelSettings {
  model: string;
  /** 'deepseek' only changes the default base URL and the telemetry provider name. */
  provider?: 'openai' | 'deepseek';
  /** May be absent for a local OpenAI-compatible server (Ollama, llama.cpp, vLLM, LM Studio). */
  apiKey?: string;
  baseURL?: string;
  fetch?: typeof globalThis.fetch;
}

/** OpenAI, DeepSeek and any OpenAI-compatible server, through the `openai` SDK's Chat Completions. */
export function createOpenAIModel(settings: OpenAIModelSettings): ChatModel {
  const provider = settings.provider ?? 'openai';
  const baseURL = (settings.baseURL ?? (provider === 'deepseek' ? DEEPSEEK_BASE_URL : OPENAI_BASE_URL)).replace(/\/+$/, '');
  const official = provider === 'openai' && new URL(baseURL).hostname === 'api.openai.com';
  // Everything explicit: the SDK would otherwise read OPENAI_* variables itself (config.ts owns env).
  const client = new OpenAI({
    apiKey: settings.apiKey || 'no-key',
    adminAPIKey: null,
    organization: null,
    project: null,
    webhookSecret: null,
    baseURL,
    maxRetries: 0, // our one retry policy (retry.ts) instead
    timeout: 24 * 60 * 60 * 1000, // our per-attempt timer aborts instead
    logLevel: 'off',
    ...(settings.fetch ? { fetch: settings.fetch } : {}),
  });
  const map = (request: Parameters<ChatModel['generate']>[0]) => toOpenAIRequest(request, { model: settings.model, official });

  return createVendorModel({
    provider,
    modelId: settings.model,
    endpoint: endpointOf(baseURL),
    settings,
    secrets: settings.apiKey ? [settings.apiKey] : [],
    async generateOnce(request, attempt) {
      const { body, warnings } = map(request);
      const completion = await client.chat.completions.create({ ...body, stream: false }, { signal: attempt.signal });
      return fromOpenAIResponse(completion, warnings);
    },
    async *streamOnce(request, attempt) {
      const { body, warnings } = map(request);
      const stream = await client.chat.completions.create(
        { ...body, stream: true, stream_options: { include_usage: true } },
        { signal: attempt.signal },
      );
      yield* fromOpenAIStream(stream, warnings);
    },
  });
}
