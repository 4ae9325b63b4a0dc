import { chunksOf } from './offline/text.ts';
import type { ChatModel, ChatRequest, ChatResponse, FinishReason, StreamEvent, TextPart, ToolCallPart, Usage } from './types.ts';
import { emptyUsage } from './usage.ts';

/** A scripted answer: shorthand (`text`, `toolCalls`) or full `content`; the rest defaults. */
export interface ScriptedResponse {
  text?: string;
  toolCalls?: Array<{ id?: string; name: string; arguments?: Record<string, unknown> }>;
  content?: Array<TextPart | ToolCallPart>;
  finish?: FinishReason;
  usage?: Partial<Usage>;
  id?: string;
  model?: string;
  warnings?: string[];
}

/**
 * One queued turn: an answer, a function of the request (and the turn's index) giving one, or an
 * Error (e.g. a ModelError) to throw, so tests can drive failures through the loop.
 */
export type ScriptedTurn = ScriptedResponse | Error | ((request: ChatRequest, index: number) => ScriptedResponse | Error);

export interface ScriptedModel extends ChatModel {
  /** Every request received, in order (generate and stream alike). */
  readonly requests: ChatRequest[];
  /** Queues more turns. */
  push(...turns: ScriptedTurn[]): void;
  /** Turns not yet used. */
  remaining(): number;
}

/**
 * A fake ChatModel for loop tests: answers from a queue of turns, streams them as events (text in
 * word chunks, tool arguments in two halves), records requests, and fails loudly when the queue is dry.
 */
export function createScriptedModel(turns: ScriptedTurn[] = [], options: { modelId?: string } = {}): ScriptedModel {
  const queue = [...turns];
  const requests: ChatRequest[] = [];
  const modelId = options.modelId ?? 'scripted';

  const next = (request: ChatRequest): ChatResponse => {
    const index = requests.length;
    requests.push(request);
    const turn = queue.shift();
    if (turn === undefined) {
      const last = request.messages.at(-1);
      throw new Error(
        `scripted model: no turn left for request #${index + 1} (${request.messages.length} messages, the last from ${last?.role ?? 'nobody'}); script more turns`,
      );
    }
    const scripted = typeof turn === 'function' ? turn(request, index) : turn;
    if (scripted instanceof Error) throw scripted;
    return toResponse(scripted, index, modelId);
  };

  return {
    provider: 'scripted',
    modelId,
    displayName: 'scripted test model',
    requests,
    push: (...more) => void queue.push(...more),
    remaining: () => queue.length,
    generate: async (request) => next(request),
    stream: (request) => streamOf(() => next(request)),
  };
}

function toResponse(scripted: ScriptedResponse, index: number, modelId: string): ChatResponse {
  const content: Array<TextPart | ToolCallPart> = scripted.content ?? [
    ...(scripted.text !== undefined ? [{ type: 'text' as const, text: scripted.text }] : []),
    ...(scripted.toolCalls ?? []).map((call, n) => ({
      type: 'tool-call' as const,
      id: call.id ?? `scripted-call-${index + 1}-${n + 1}`,
      name: call.name,
      arguments: call.arguments ?? {},
    })),
  ];
  const calls = content.some((part) => part.type === 'tool-call');
  return {
    id: scripted.id ?? `scripted-${index + 1}`,
    model: scripted.model ?? modelId,
    content,
    finish: scripted.finish ?? (calls ? { reason: 'tool-calls', raw: 'tool_calls' } : { reason: 'stop', raw: 'stop' }),
    usage: { ...emptyUsage(), ...scripted.usage },
    warnings: scripted.warnings ?? [],
  };
}

async function* streamOf(respond: () => ChatResponse): AsyncIterable<StreamEvent> {
  const response = respond();
  yield { type: 'response-start', id: response.id, model: response.model };
  for (const part of response.content) {
    if (part.type === 'text') {
      for (const delta of chunksOf(part.text)) yield { type: 'text-delta', delta };
      continue;
    }
    const json = JSON.stringify(part.arguments);
    const half = Math.ceil(json.length / 2);
    yield { type: 'tool-call-start', id: part.id, name: part.name };
    yield { type: 'tool-call-delta', id: part.id, argumentsDelta: json.slice(0, half) };
    yield { type: 'tool-call-delta', id: part.id, argumentsDelta: json.slice(half) };
    yield {
      type: 'tool-call-end',
      id: part.id,
      name: part.name,
      arguments: part.arguments,
      ...(part.providerMetadata ? { providerMetadata: part.providerMetadata } : {}),
    };
  }
  const { id, model, finish, usage, warnings } = response;
  yield { type: 'finish', id, model, finish, usage, warnings };
}
