import type { GenerateContentResponse } from '@google/genai';
import { BadResponseError } from '../errors.ts';
import type { StreamEvent, Usage } from '../types.ts';
import { emptyUsage } from '../usage.ts';
import { convertGeminiUsage, fromGeminiPart, mapGeminiFinishReason } from './gemini-response.ts';

/**
 * Streamed GenerateContentResponse chunks → StreamEvents. Gemini sends each function call whole in
 * one part, so start/delta/end are emitted together; usage in each chunk is the running total.
 * https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent
 */
export async function* fromGeminiStream(chunks: AsyncIterable<GenerateContentResponse>, warnings: string[] = []): AsyncIterable<StreamEvent> {
  let id: string | undefined;
  let model = '';
  let started = false;
  let rawFinish: string | undefined;
  let blocked: string | undefined;
  let usage: Usage = emptyUsage();
  let calls = 0;

  for await (const chunk of chunks) {
    if (!started) {
      started = true;
      id = chunk.responseId;
      model = chunk.modelVersion ?? '';
      yield { type: 'response-start', id, model };
    }
    if (chunk.usageMetadata) usage = convertGeminiUsage(chunk.usageMetadata);
    if (chunk.promptFeedback?.blockReason) blocked = String(chunk.promptFeedback.blockReason);
    const candidate = chunk.candidates?.[0];
    for (const part of candidate?.content?.parts ?? []) {
      const mapped = fromGeminiPart(part, id, calls);
      if (mapped?.type === 'text') yield { type: 'text-delta', delta: mapped.text };
      if (mapped?.type === 'tool-call') {
        calls++;
        yield { type: 'tool-call-start', id: mapped.id, name: mapped.name };
        yield { type: 'tool-call-delta', id: mapped.id, argumentsDelta: JSON.stringify(mapped.arguments) };
        yield {
          type: 'tool-call-end',
          id: mapped.id,
          name: mapped.name,
          arguments: mapped.arguments,
          ...(mapped.providerMetadata ? { providerMetadata: mapped.providerMetadata } : {}),
        };
      }
    }
    if (candidate?.finishReason) rawFinish = candidate.finishReason;
  }

  if (!rawFinish && !blocked) throw new BadResponseError('the stream ended before the model finished');
  const finish = rawFinish ? mapGeminiFinishReason(rawFinish, calls > 0) : { reason: 'content-filter' as const, raw: blocked };
  yield { type: 'finish', id, model, finish, usage, warnings };
}
