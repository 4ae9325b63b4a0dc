import type { ChatMessage, ChatModel, ToolDefinition } from '../model/types.ts';
import { AgentName } from '@algorhythm/web/schemas';
import { SUPERVISOR_PROMPT } from './prompts.ts';

export interface RouteDecision {
  agent: AgentName;
  reason: string;
  /** True when the model gave no usable decision and the router fell back. */
  fallback: boolean;
}

export const ROUTE_TOOL: ToolDefinition = {
  name: 'route',
  description: 'Send the conversation to the specialist who should answer the latest message.',
  inputSchema: {
    type: 'object',
    properties: {
      agent: { type: 'string', enum: AgentName.options, description: 'The specialist to answer.' },
      reason: { type: 'string', description: 'A few words on why.' },
    },
    required: ['agent', 'reason'],
    additionalProperties: false,
  },
};

const HISTORY_WINDOW = 8;

/** The supervisor sees only the visible dialogue: what was said, not the tools' payloads. */
export function dialogueOf(history: ChatMessage[]): ChatMessage[] {
  const dialogue: ChatMessage[] = [];
  for (const message of history) {
    if (message.role === 'user') dialogue.push(message);
    if (message.role === 'assistant') {
      const text = message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n');
      if (text) dialogue.push({ role: 'assistant', content: [{ type: 'text', text }] });
    }
  }
  return dialogue.slice(-HISTORY_WINDOW);
}

export async function routeTurn(options: {
  model: ChatModel;
  history: ChatMessage[];
  previous: AgentName | null;
  signal?: AbortSignal;
}): Promise<{ decision: RouteDecision; response: Awaited<ReturnType<ChatModel['generate']>> }> {
  const response = await options.model.generate({
    messages: [{ role: 'system', content: SUPERVISOR_PROMPT }, ...dialogueOf(options.history)],
    tools: [ROUTE_TOOL],
    toolChoice: { type: 'tool', name: 'route' },
    maxOutputTokens: 200,
    temperature: 0,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const call = response.content.find((part) => part.type === 'tool-call' && part.name === 'route');
  const agent = call?.type === 'tool-call' ? call.arguments.agent : undefined;
  if (agent === 'music_expert' || agent === 'support_rep') {
    const reason = call?.type === 'tool-call' && typeof call.arguments.reason === 'string' ? call.arguments.reason : '';
    return { decision: { agent, reason: reason.slice(0, 200), fallback: false }, response };
  }
  return {
    decision: { agent: options.previous ?? 'support_rep', reason: 'no clear route; continuing', fallback: true },
    response,
  };
}
