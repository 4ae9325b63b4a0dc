import Anthropic from '@anthropic-ai/sdk';
import { endpointOf } from '../endpoint.ts';
import type { ChatModel, ChatRequest } from '../types.ts';
import { createVendorModel } from '../vendor-model.ts';
import type { HostedModelSettings } from '../vendor-model.ts';
import { toAnthropicRequest } from './anthropic-request.ts';
import { fromAnthropicResponse } from './anthropic-response.ts';
import { fromAnthropicStream } from './anthropic-stream.ts';

export const ANTHROPIC_BASE_URL = 'https://api.anthropic.com';

export type AnthropicModelSettings = HostedModelSettings;

/** Claude models through `@anthropic-ai/sdk`'s Messages API. */
export function createAnthropicModel(settings: AnthropicModelSettings): ChatModel {
  const baseURL = (settings.baseURL ?? ANTHROPIC_BASE_URL).replace(/\/+$/, '');
  const client = new Anthropic({
    apiKey: settings.apiKey,
    baseURL,
    maxRetries: 0, // our one retry policy (retry.ts) instead
    timeout: 24 * 60 * 60 * 1000, // our per-attempt timer aborts instead
    logLevel: 'off',
    ...(settings.fetch ? { fetch: settings.fetch } : {}),
  });
  const map = (request: ChatRequest) => toAnthropicRequest(request, { model: settings.model });

  return createVendorModel({
    provider: 'anthropic',
    modelId: settings.model,
    endpoint: endpointOf(baseURL),
    settings,
    secrets: [settings.apiKey],
    async generateOnce(request, attempt) {
      const { body, warnings } = map(request);
      const message = await client.messages.create({ ...body, stream: false }, { signal: attempt.signal });
      return fromAnthropicResponse(message, warnings);
    },
    async *streamOnce(request, attempt) {
      const { body, warnings } = map(request);
      const stream = await client.messages.create({ ...body, stream: true }, { signal: attempt.signal });
      yield* fromAnthropicStream(stream, warnings);
    },
  });
}
