import type { GenerateContentResponse, GenerateContentResponseUsageMetadata, Part } from '@google/genai';
import type { ChatResponse, FinishReason, TextPart, ToolCallPart, Usage } from '../types.ts';
import { count } from '../usage.ts';
import { SYNTHETIC_ID_PREFIX } from './gemini-request.ts';

const FILTERED = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT', 'LANGUAGE']);

/**
 * Gemini says STOP also when it calls functions; that is `tool-calls` for the loop.
 * https://ai.google.dev/api/generate-content#FinishReason
 */
export function mapGeminiFinishReason(raw: string | undefined, hasToolCalls: boolean): FinishReason {
  if (raw === 'STOP') return { reason: hasToolCalls ? 'tool-calls' : 'stop', raw };
  if (raw === 'MAX_TOKENS') return { reason: 'length', raw };
  if (raw === 'MALFORMED_FUNCTION_CALL' || raw === 'UNEXPECTED_TOOL_CALL') return { reason: 'error', raw };
  if (raw && FILTERED.has(raw)) return { reason: 'content-filter', raw };
  return { reason: 'other', raw };
}

/**
 * `promptTokenCount` already includes cached content; thinking tokens are billed as output.
 * https://ai.google.dev/api/generate-content#UsageMetadata
 */
export function convertGeminiUsage(usage: GenerateContentResponseUsageMetadata | undefined): Usage {
  return {
    inputTokens: count(usage?.promptTokenCount) + count(usage?.toolUsePromptTokenCount),
    outputTokens: count(usage?.candidatesTokenCount) + count(usage?.thoughtsTokenCount),
    cacheReadTokens: count(usage?.cachedContentTokenCount),
    cacheWriteTokens: 0,
  };
}

/**
 * Gemini may omit function call ids: make stable ones from the response id and the call's position
 * (the adapter does not send these back as ids; Gemini matches results by name and order).
 */
export function syntheticCallId(responseId: string | undefined, index: number): string {
  return `${SYNTHETIC_ID_PREFIX}${index}${responseId ? `-${responseId}` : ''}`;
}

/** A part as our content (thought summaries skipped); `callIndex` numbers the calls of the response. */
export function fromGeminiPart(part: Part, responseId: string | undefined, callIndex: number): TextPart | ToolCallPart | undefined {
  if (part.functionCall) {
    const call = part.functionCall;
    return {
      type: 'tool-call',
      id: call.id || syntheticCallId(responseId, callIndex),
      name: call.name ?? '',
      arguments: call.args ?? {},
      ...(part.thoughtSignature ? { providerMetadata: { gemini: { thoughtSignature: part.thoughtSignature } } } : {}),
    };
  }
  if (typeof part.text === 'string' && part.text && !part.thought) return { type: 'text', text: part.text };
  return undefined;
}

export function fromGeminiResponse(response: GenerateContentResponse, warnings: string[] = []): ChatResponse {
  const candidate = response.candidates?.[0];
  const content: Array<TextPart | ToolCallPart> = [];
  let calls = 0;
  for (const part of candidate?.content?.parts ?? []) {
    const mapped = fromGeminiPart(part, response.responseId, calls);
    if (mapped?.type === 'tool-call') calls++;
    if (mapped) content.push(mapped);
  }
  const blocked = response.promptFeedback?.blockReason;
  return {
    id: response.responseId,
    model: response.modelVersion ?? '',
    content,
    finish: blocked && !candidate ? { reason: 'content-filter', raw: String(blocked) } : mapGeminiFinishReason(candidate?.finishReason, calls > 0),
    usage: convertGeminiUsage(response.usageMetadata),
    warnings,
  };
}
