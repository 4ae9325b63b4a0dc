import type { Message, MessageDeltaUsage, Usage as AnthropicUsage } from '@anthropic-ai/sdk/resources/messages/messages';
import type { ChatResponse, FinishReason, TextPart, ToolCallPart, Usage } from '../types.ts';
import { count } from '../usage.ts';

/** https://docs.anthropic.com/en/api/handling-stop-reasons */
export function mapAnthropicStopReason(raw: string | null | undefined): FinishReason {
  switch (raw) {
    case 'end_turn':
    case 'stop_sequence':
      return { reason: 'stop', raw };
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return { reason: 'length', raw };
    case 'tool_use':
      return { reason: 'tool-calls', raw };
    case 'refusal':
      return { reason: 'content-filter', raw };
    default:
      return { reason: 'other', raw: raw ?? undefined };
  }
}

/**
 * Anthropic's `input_tokens` excludes cache reads and writes; the GenAI conventions' input tokens
 * include them, so they are added in and also broken out.
 * https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching#tracking-cache-performance
 */
export function convertAnthropicUsage(usage: Partial<AnthropicUsage | MessageDeltaUsage> | null | undefined): Usage {
  const cacheRead = count(usage?.cache_read_input_tokens);
  const cacheWrite = count(usage?.cache_creation_input_tokens);
  return {
    inputTokens: count(usage?.input_tokens) + cacheRead + cacheWrite,
    outputTokens: count(usage?.output_tokens),
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
  };
}

export function fromAnthropicResponse(message: Message, warnings: string[] = []): ChatResponse {
  const content: Array<TextPart | ToolCallPart> = [];
  for (const block of message.content ?? []) {
    if (block.type === 'text' && block.text) content.push({ type: 'text', text: block.text });
    if (block.type === 'tool_use') {
      const input = block.input;
      content.push({
        type: 'tool-call',
        id: block.id,
        name: block.name,
        arguments: input && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {},
      });
    }
  }
  return {
    id: message.id,
    model: message.model,
    content,
    finish: mapAnthropicStopReason(message.stop_reason),
    usage: convertAnthropicUsage(message.usage),
    warnings,
  };
}
