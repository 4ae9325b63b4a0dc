import { splitEvery, splitWords } from './fake-server.ts';
import type { RecordedRequest, SseEvent } from './fake-server.ts';
import { startVendorFake } from './vendor-fake.ts';
import type { FakeTurn, VendorFake, VendorWire } from './vendor-fake.ts';

/**
 * A fake OpenAI Chat Completions server (`POST /v1/chat/completions`): JSON, and SSE `data:` chunks
 * ending in `[DONE]`, with a usage chunk when `stream_options.include_usage` was asked for.
 * https://platform.openai.com/docs/api-reference/chat-streaming
 */
export function startFakeOpenAI(): Promise<VendorFake> {
  return startVendorFake(openAIWire, '/v1');
}

const callId = (turn: FakeTurn, index: number) => turn.toolCalls?.[index]?.id ?? `call_${index}`;
const finishOf = (turn: FakeTurn) => turn.finishReason ?? (turn.toolCalls?.length ? 'tool_calls' : 'stop');

function usageOf(turn: FakeTurn) {
  const input = turn.usage?.input ?? 20;
  const output = turn.usage?.output ?? 5;
  return {
    prompt_tokens: input,
    completion_tokens: output,
    total_tokens: input + output,
    prompt_tokens_details: { cached_tokens: turn.usage?.cacheRead ?? 0 },
    completion_tokens_details: { reasoning_tokens: 0 },
  };
}

export const openAIWire: VendorWire = {
  isStreamRequest: (request: RecordedRequest) => request.body?.stream === true,

  json: (turn, request) => ({
    id: turn.id ?? 'chatcmpl-fake',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: turn.model ?? request.body?.model ?? 'gpt-fake',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: turn.text ?? null,
          refusal: null,
          ...(turn.toolCalls?.length
            ? {
                tool_calls: turn.toolCalls.map((call, index) => ({
                  id: callId(turn, index),
                  type: 'function',
                  function: { name: call.name, arguments: JSON.stringify(call.arguments) },
                })),
              }
            : {}),
        },
        logprobs: null,
        finish_reason: finishOf(turn),
      },
    ],
    usage: usageOf(turn),
  }),

  events: (turn, request) => {
    const base = {
      id: turn.id ?? 'chatcmpl-fake',
      object: 'chat.completion.chunk',
      created: 1_700_000_000,
      model: turn.model ?? request.body?.model ?? 'gpt-fake',
    };
    const chunk = (delta: unknown, finish: string | null = null): SseEvent => ({
      data: { ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] },
    });
    const events: SseEvent[] = [chunk({ role: 'assistant', content: '' })];
    for (const word of splitWords(turn.text ?? '')) events.push(chunk({ content: word }));
    for (const [index, call] of (turn.toolCalls ?? []).entries()) {
      events.push(
        chunk({ tool_calls: [{ index, id: callId(turn, index), type: 'function', function: { name: call.name, arguments: '' } }] }),
      );
      for (const piece of splitEvery(JSON.stringify(call.arguments), turn.argChunkSize ?? 4)) {
        events.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
      }
    }
    events.push(chunk({}, finishOf(turn)));
    if (request.body?.stream_options?.include_usage) {
      events.push({ data: { ...base, choices: [], usage: usageOf(turn) } });
    }
    events.push({ data: '[DONE]' });
    return events;
  },

  errorBody: (status, message) => ({
    error: { message, type: status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'server_error' : 'invalid_request_error', code: null },
  }),

  malformedEvents: (turn, request) => {
    const [first] = openAIWire.events(turn, request);
    return [first!, { data: '{"id":"chatcmpl-fake","choices":[{"delta":{"content":"Hel' }, { data: '[DONE]' }];
  },
};
