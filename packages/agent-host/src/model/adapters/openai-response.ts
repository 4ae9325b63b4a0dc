import type { ChatCompletion } from 'openai/resources/chat/completions/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import { BadResponseError } from '../errors.ts';
import { parseToolArguments } from '../tool-arguments.ts';
import type { ChatResponse, FinishReason, TextPart, ToolCallPart, Usage } from '../types.ts';
import { count, emptyUsage } from '../usage.ts';

/** https://platform.openai.com/docs/api-reference/chat/object#chat/object-choices */
export function mapOpenAIFinishReason(raw: string | null | undefined): FinishReason {
  switch (raw) {
    case 'stop':
      return { reason: 'stop', raw };
    case 'length':
      return { reason: 'length', raw };
    case 'tool_calls':
    case 'function_call':
      return { reason: 'tool-calls', raw };
    case 'content_filter':
      return { reason: 'content-filter', raw };
    default:
      return { reason: 'other', raw: raw ?? undefined };
  }
}

/**
 * `prompt_tokens` already includes cached tokens (OpenAI `prompt_tokens_details.cached_tokens`,
 * DeepSeek `prompt_cache_hit_tokens`), as the GenAI conventions want `input_tokens`.
 */
export function convertOpenAIUsage(usage: CompletionUsage | null | undefined): Usage {
  if (!usage) return emptyUsage();
  const extra = usage as CompletionUsage & { prompt_cache_hit_tokens?: number };
  return {
    inputTokens: count(usage.prompt_tokens),
    outputTokens: count(usage.completion_tokens),
    cacheReadTokens: count(usage.prompt_tokens_details?.cached_tokens ?? extra.prompt_cache_hit_tokens),
    cacheWriteTokens: count(usage.prompt_tokens_details?.cache_write_tokens),
  };
}

export function fromOpenAIResponse(completion: ChatCompletion, warnings: string[] = []): ChatResponse {
  const choice = completion.choices?.[0];
  if (!choice) throw new BadResponseError('the response has no choices');
  const content: Array<TextPart | ToolCallPart> = [];
  if (choice.message.content) content.push({ type: 'text', text: choice.message.content });
  for (const [index, call] of (choice.message.tool_calls ?? []).entries()) {
    if (call.type !== 'function') continue;
    content.push({
      type: 'tool-call',
      id: call.id || `call_${index}`,
      name: call.function.name,
      arguments: parseToolArguments(call.function.arguments, call.function.name),
    });
  }
  return {
    id: completion.id,
    model: completion.model,
    content,
    finish: mapOpenAIFinishReason(choice.finish_reason),
    usage: convertOpenAIUsage(completion.usage),
    warnings,
  };
}
