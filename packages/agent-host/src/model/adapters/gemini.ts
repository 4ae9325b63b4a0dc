import { GoogleGenAI } from '@google/genai';
import { endpointOf } from '../endpoint.ts';
import type { AttemptContext } from '../retry.ts';
import type { ChatModel, ChatRequest } from '../types.ts';
import { createVendorModel } from '../vendor-model.ts';
import type { HostedModelSettings } from '../vendor-model.ts';
import { toGeminiRequest } from './gemini-request.ts';
import { fromGeminiResponse } from './gemini-response.ts';
import { fromGeminiStream } from './gemini-stream.ts';

export const GEMINI_BASE_URL = 'https://generativelanguage.googleapis.com';

export type GeminiModelSettings = HostedModelSettings;

/** Gemini models through `@google/genai` (the Gemini API, not Vertex). */
export function createGeminiModel(settings: GeminiModelSettings): ChatModel {
  const baseURL = (settings.baseURL ?? GEMINI_BASE_URL).replace(/\/+$/, '');
  const baseFetch = settings.fetch ?? globalThis.fetch;
  // No retryOptions: the SDK then makes exactly one request per call.
  const client = new GoogleGenAI({ apiKey: settings.apiKey, vertexai: false, httpOptions: { baseUrl: baseURL } });

  /** Per attempt: the abort signal, and a fetch that hands response headers (retry-after) to the policy. */
  const withAttempt = (request: ChatRequest, attempt: AttemptContext) => {
    const { params, warnings } = toGeminiRequest(request, { model: settings.model });
    const observingFetch: typeof fetch = async (input, init) => {
      const response = await baseFetch(input, init);
      attempt.observeResponse(response);
      return response;
    };
    params.config = { ...params.config, abortSignal: attempt.signal, httpOptions: { fetch: observingFetch } };
    return { params, warnings };
  };

  return createVendorModel({
    provider: 'gcp.gemini',
    modelId: settings.model,
    endpoint: endpointOf(baseURL),
    settings,
    secrets: [settings.apiKey],
    async generateOnce(request, attempt) {
      const { params, warnings } = withAttempt(request, attempt);
      return fromGeminiResponse(await client.models.generateContent(params), warnings);
    },
    async *streamOnce(request, attempt) {
      const { params, warnings } = withAttempt(request, attempt);
      yield* fromGeminiStream(await client.models.generateContentStream(params), warnings);
    },
  });
}
