import type { ChatModel, ChatRequest, ChatResponse, StreamEvent, TextPart, ToolCallPart } from '../types.ts';
import { ModelError } from '../types.ts';
import { replyTo } from './reply.ts';
import { chunksOf, estimateTokens, requestChars } from './text.ts';

/**
 * The deterministic offline demo model: no network, no key. It routes with keyword rules, picks a
 * tool and its arguments from the customer's message, and writes short answers from the tools'
 * structured results. Usage is estimated at ceil(characters / 4) tokens.
 */
export function createOfflineModel(): ChatModel {
  let responses = 0;
  const respond = (request: ChatRequest): ChatResponse => {
    if (request.signal?.aborted) throw new ModelError({ provider: 'offline', kind: 'aborted', message: 'offline: request aborted' });
    const content = replyTo(request);
    const outputChars = content.reduce((n, part) => n + (part.type === 'text' ? part.text.length : part.name.length + JSON.stringify(part.arguments).length), 0);
    const calls = content.some((part) => part.type === 'tool-call');
    return {
      id: `offline-${++responses}`,
      model: 'offline',
      content,
      finish: calls ? { reason: 'tool-calls', raw: 'tool_calls' } : { reason: 'stop', raw: 'stop' },
      usage: { inputTokens: estimateTokens(requestChars(request)), outputTokens: estimateTokens(outputChars), cacheReadTokens: 0, cacheWriteTokens: 0 },
      warnings: [],
    };
  };

  return {
    provider: 'offline',
    modelId: 'offline',
    displayName: 'offline demo model',
    generate: async (request) => respond(request),
    stream: (request) => streamOf(() => respond(request), request.signal),
  };
}

async function* streamOf(respond: () => ChatResponse, signal: AbortSignal | undefined): AsyncIterable<StreamEvent> {
  const response = respond();
  yield { type: 'response-start', id: response.id, model: response.model };
  for (const part of response.content) {
    for (const event of eventsOf(part)) {
      if (signal?.aborted) throw new ModelError({ provider: 'offline', kind: 'aborted', message: 'offline: request aborted' });
      yield event;
    }
  }
  const { id, model, finish, usage, warnings } = response;
  yield { type: 'finish', id, model, finish, usage, warnings };
}

function eventsOf(part: TextPart | ToolCallPart): StreamEvent[] {
  if (part.type === 'text') return chunksOf(part.text).map((delta) => ({ type: 'text-delta', delta }));
  return [
    { type: 'tool-call-start', id: part.id, name: part.name },
    { type: 'tool-call-delta', id: part.id, argumentsDelta: JSON.stringify(part.arguments) },
    { type: 'tool-call-end', id: part.id, name: part.name, arguments: part.arguments },
  ];
}
