import type {
  ContentBlockParam,
  MessageCreateParamsBase,
  MessageParam,
  ToolChoice as AnthropicToolChoice,
} from '@anthropic-ai/sdk/resources/messages/messages';
import type { ChatMessage, ChatRequest, ToolChoice } from '../types.ts';

/** Anthropic requires `max_tokens`; our answers are short, so this only bounds a runaway. */
export const DEFAULT_MAX_TOKENS = 4096;

/**
 * https://docs.anthropic.com/en/api/messages — the system prompt goes in `system`, tool results are
 * user-role `tool_result` blocks, and consecutive messages of one role are merged into one message
 * (so parallel tool results travel together, right after the assistant turn that asked for them).
 */
export function toAnthropicRequest(request: ChatRequest, options: { model: string }): { body: MessageCreateParamsBase; warnings: string[] } {
  const system = request.messages.flatMap((m) => (m.role === 'system' ? [m.content] : [])).join('\n\n');
  const body: MessageCreateParamsBase = {
    model: options.model,
    max_tokens: request.maxOutputTokens ?? DEFAULT_MAX_TOKENS,
    messages: toAnthropicMessages(request.messages),
  };
  if (system) body.system = system;
  if (request.tools?.length) {
    body.tools = request.tools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      input_schema: { type: 'object', ...tool.inputSchema },
    }));
    if (request.toolChoice) body.tool_choice = toAnthropicToolChoice(request.toolChoice);
  }
  // The current Messages API has no sampling temperature (the SDK dropped the field after deprecating it).
  const warnings = request.temperature !== undefined ? ['temperature is not supported by the Anthropic Messages API and was ignored'] : [];
  return { body, warnings };
}

export function toAnthropicMessages(messages: ChatMessage[]): MessageParam[] {
  const out: Array<{ role: 'user' | 'assistant'; content: ContentBlockParam[] }> = [];
  for (const message of messages) {
    const mapped = toBlocks(message);
    if (!mapped || mapped.content.length === 0) continue;
    const last = out.at(-1);
    if (last?.role === mapped.role) last.content.push(...mapped.content);
    else out.push(mapped);
  }
  return out;
}

function toBlocks(message: ChatMessage): { role: 'user' | 'assistant'; content: ContentBlockParam[] } | undefined {
  switch (message.role) {
    case 'system':
      return undefined;
    case 'user':
      // Empty text blocks are rejected by the API.
      return { role: 'user', content: message.content ? [{ type: 'text', text: message.content }] : [] };
    case 'assistant':
      return {
        role: 'assistant',
        content: message.content.flatMap((part): ContentBlockParam[] =>
          part.type === 'text'
            ? part.text
              ? [{ type: 'text', text: part.text }]
              : []
            : [{ type: 'tool_use', id: part.id, name: part.name, input: part.arguments }],
        ),
      };
    case 'tool':
      return {
        role: 'user',
        content: message.content.map((result) => ({
          type: 'tool_result' as const,
          tool_use_id: result.callId,
          content: result.output,
          ...(result.isError ? { is_error: true } : {}),
        })),
      };
  }
}

export function toAnthropicToolChoice(choice: ToolChoice): AnthropicToolChoice {
  if (typeof choice !== 'string') return { type: 'tool', name: choice.name };
  if (choice === 'required') return { type: 'any' };
  return { type: choice };
}
