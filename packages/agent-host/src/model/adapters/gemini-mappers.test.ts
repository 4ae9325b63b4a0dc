import { describe, expect, it } from 'vitest';
import type { GenerateContentResponse } from '@google/genai';
import { collect } from './contract-fixtures.ts';
import { toGeminiRequest } from './gemini-request.ts';
import { convertGeminiUsage, fromGeminiResponse, mapGeminiFinishReason } from './gemini-response.ts';
import { fromGeminiStream } from './gemini-stream.ts';

async function* from(items: unknown[]) {
  yield* items as GenerateContentResponse[];
}

describe('Gemini mappers', () => {
  it('maps finish reasons; STOP with calls is tool-calls', () => {
    expect(mapGeminiFinishReason('STOP', false)).toEqual({ reason: 'stop', raw: 'STOP' });
    expect(mapGeminiFinishReason('STOP', true)).toEqual({ reason: 'tool-calls', raw: 'STOP' });
    expect(mapGeminiFinishReason('MAX_TOKENS', false)).toEqual({ reason: 'length', raw: 'MAX_TOKENS' });
    expect(mapGeminiFinishReason('SAFETY', false)).toEqual({ reason: 'content-filter', raw: 'SAFETY' });
    expect(mapGeminiFinishReason('MALFORMED_FUNCTION_CALL', false)).toEqual({ reason: 'error', raw: 'MALFORMED_FUNCTION_CALL' });
    expect(mapGeminiFinishReason('OTHER', false)).toEqual({ reason: 'other', raw: 'OTHER' });
  });

  it('usage: cached content is inside the prompt count; thinking counts as output', () => {
    expect(convertGeminiUsage({ promptTokenCount: 300, cachedContentTokenCount: 200, candidatesTokenCount: 20, thoughtsTokenCount: 50 })).toEqual({
      inputTokens: 300, outputTokens: 70, cacheReadTokens: 200, cacheWriteTokens: 0,
    });
  });

  it('reads a recorded response: thought parts skipped, missing call ids synthesized', () => {
    const response = {
      candidates: [
        {
          content: {
            role: 'model',
            parts: [
              { text: 'Thinking about the catalog…', thought: true },
              { functionCall: { name: 'get_artists_by_genre', args: { genre: 'Jazz' } }, thoughtSignature: 'CiQB0e2Kb' },
              { functionCall: { name: 'list_genres', args: {} } },
            ],
          },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      usageMetadata: { promptTokenCount: 120, candidatesTokenCount: 15, totalTokenCount: 135 },
      modelVersion: 'gemini-2.5-flash',
      responseId: 'mV0gaNnqHpWWmtkP',
    } as unknown as GenerateContentResponse;
    expect(fromGeminiResponse(response).content).toEqual([
      { type: 'tool-call', id: 'gemini-call-0-mV0gaNnqHpWWmtkP', name: 'get_artists_by_genre', arguments: { genre: 'Jazz' }, providerMetadata: { gemini: { thoughtSignature: 'CiQB0e2Kb' } } },
      { type: 'tool-call', id: 'gemini-call-1-mV0gaNnqHpWWmtkP', name: 'list_genres', arguments: {} },
    ]);
  });

  it('a blocked prompt is a content-filter finish', () => {
    const response = { promptFeedback: { blockReason: 'PROHIBITED_CONTENT' }, usageMetadata: { promptTokenCount: 9 } } as unknown as GenerateContentResponse;
    expect(fromGeminiResponse(response).finish).toEqual({ reason: 'content-filter', raw: 'PROHIBITED_CONTENT' });
  });

  it('stream: usage is the running total; no finishReason means cut', async () => {
    const chunks = [
      { candidates: [{ content: { role: 'model', parts: [{ text: 'We have ' }] } }], usageMetadata: { promptTokenCount: 50 }, responseId: 'r', modelVersion: 'g' },
      { candidates: [{ content: { role: 'model', parts: [{ text: 'jazz.' }] }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 50, candidatesTokenCount: 4 }, responseId: 'r', modelVersion: 'g' },
    ];
    const events = await collect(fromGeminiStream(from(chunks)));
    expect(events.at(-1)).toMatchObject({ finish: { reason: 'stop', raw: 'STOP' }, usage: { inputTokens: 50, outputTokens: 4 } });
    await expect(collect(fromGeminiStream(from(chunks.slice(0, 1))))).rejects.toThrow('the stream ended before the model finished');
  });

  it('request: system instruction, merged tool responses, tool config', () => {
    const { params } = toGeminiRequest(
      {
        messages: [
          { role: 'system', content: 'A' },
          { role: 'system', content: 'B' },
          { role: 'user', content: 'hi' },
        ],
        toolChoice: 'none',
        tools: [{ name: 't', description: 'd', inputSchema: { type: 'object' } }],
        temperature: 0,
      },
      { model: 'gemini-2.5-flash' },
    );
    expect(params.config).toMatchObject({ systemInstruction: 'A\n\nB', toolConfig: { functionCallingConfig: { mode: 'NONE' } }, temperature: 0, automaticContinuation: false });
    expect(params.contents).toEqual([{ role: 'user', parts: [{ text: 'hi' }] }]);
  });
});
