import type { ChatMessage } from '../model/types.ts';

/**
 * The stored history as a model request wants it: consecutive assistant messages merged into one
 * (a resumed approval adds a tool call right after the "waiting" text, and Anthropic wants alternation).
 */
export function toModelHistory(messages: ChatMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const message of messages) {
    const last = out.at(-1);
    if (message.role === 'assistant' && last?.role === 'assistant') {
      out[out.length - 1] = { role: 'assistant', content: [...last.content, ...message.content] };
    } else {
      out.push(message);
    }
  }
  return out;
}
