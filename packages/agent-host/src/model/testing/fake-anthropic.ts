import { splitEvery, splitWords } from './fake-server.ts';
import type { SseEvent } from './fake-server.ts';
import { startVendorFake } from './vendor-fake.ts';
import type { FakeTurn, VendorFake, VendorWire } from './vendor-fake.ts';

/**
 * A fake Anthropic Messages server (`POST /v1/messages`): JSON, and named SSE events
 * (message_start, content_block_start/delta/stop, ping, message_delta, message_stop).
 * https://docs.anthropic.com/en/docs/build-with-claude/streaming
 */
export function startFakeAnthropic(): Promise<VendorFake> {
  return startVendorFake(anthropicWire);
}

const stopOf = (turn: FakeTurn) => turn.finishReason ?? (turn.toolCalls?.length ? 'tool_use' : 'end_turn');
const callId = (turn: FakeTurn, index: number) => turn.toolCalls?.[index]?.id ?? `toolu_${index}`;

function usageOf(turn: FakeTurn) {
  return {
    input_tokens: turn.usage?.input ?? 20,
    output_tokens: turn.usage?.output ?? 5,
    cache_creation_input_tokens: turn.usage?.cacheWrite ?? 0,
    cache_read_input_tokens: turn.usage?.cacheRead ?? 0,
  };
}

function blocks(turn: FakeTurn) {
  return [
    ...(turn.text ? [{ type: 'text', text: turn.text, citations: null }] : []),
    ...(turn.toolCalls ?? []).map((call, index) => ({ type: 'tool_use', id: callId(turn, index), name: call.name, input: call.arguments })),
  ];
}

const ev = (event: string, data: Record<string, unknown>): SseEvent => ({ event, data: { type: event, ...data } });

export const anthropicWire: VendorWire = {
  isStreamRequest: (request) => request.body?.stream === true,

  json: (turn, request) => ({
    id: turn.id ?? 'msg_fake',
    type: 'message',
    role: 'assistant',
    model: turn.model ?? request.body?.model ?? 'claude-fake',
    content: blocks(turn),
    stop_reason: stopOf(turn),
    stop_sequence: null,
    usage: usageOf(turn),
  }),

  events: (turn, request) => {
    const usage = usageOf(turn);
    const events: SseEvent[] = [
      ev('message_start', {
        message: {
          id: turn.id ?? 'msg_fake',
          type: 'message',
          role: 'assistant',
          model: turn.model ?? request.body?.model ?? 'claude-fake',
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { ...usage, output_tokens: 1 },
        },
      }),
      ev('ping', {}),
    ];
    let index = 0;
    if (turn.text) {
      events.push(ev('content_block_start', { index, content_block: { type: 'text', text: '' } }));
      for (const word of splitWords(turn.text)) events.push(ev('content_block_delta', { index, delta: { type: 'text_delta', text: word } }));
      events.push(ev('content_block_stop', { index }));
      index++;
    }
    for (const [n, call] of (turn.toolCalls ?? []).entries()) {
      events.push(ev('content_block_start', { index, content_block: { type: 'tool_use', id: callId(turn, n), name: call.name, input: {} } }));
      for (const piece of splitEvery(JSON.stringify(call.arguments), turn.argChunkSize ?? 4)) {
        events.push(ev('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: piece } }));
      }
      events.push(ev('content_block_stop', { index }));
      index++;
    }
    events.push(
      ev('message_delta', { delta: { stop_reason: stopOf(turn), stop_sequence: null }, usage: { output_tokens: usage.output_tokens } }),
      ev('message_stop', {}),
    );
    return events;
  },

  errorBody: (status, message) => ({
    type: 'error',
    error: {
      type: status === 429 ? 'rate_limit_error' : status === 529 ? 'overloaded_error' : status >= 500 ? 'api_error' : 'invalid_request_error',
      message,
    },
  }),

  malformedEvents: (turn, request) => {
    const [start] = anthropicWire.events(turn, request);
    return [start!, { event: 'content_block_start', data: '{"type":"content_block_start","index":0,' }];
  },
};

/** An error event inside an open stream (Anthropic sends `overloaded_error` this way). */
export const anthropicStreamError = (type = 'overloaded_error', message = 'Overloaded'): SseEvent =>
  ({ event: 'error', data: { type: 'error', error: { type, message } } });
