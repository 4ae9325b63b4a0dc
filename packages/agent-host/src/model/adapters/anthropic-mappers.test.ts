import { describe, expect, it } from 'vitest';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages/messages';
import { collect } from './contract-fixtures.ts';
import { toAnthropicMessages, toAnthropicRequest } from './anthropic-request.ts';
import { convertAnthropicUsage, mapAnthropicStopReason } from './anthropic-response.ts';
import { fromAnthropicStream } from './anthropic-stream.ts';

async function* from(items: unknown[]) {
  yield* items as RawMessageStreamEvent[];
}

/** Shaped like a recorded Messages stream with a text block and one tool_use block. */
const RECORDED = [
  { type: 'message_start', message: { id: 'msg_014p7gG3wDgGV9EUtLvnow3U', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 472, output_tokens: 2, cache_creation_input_tokens: 0, cache_read_input_tokens: 1800 } } },
  { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
  { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Okay, let me check' } },
  { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: ' that album.' } },
  { type: 'content_block_stop', index: 0 },
  { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_album_tracks', input: {} } },
  { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '' } },
  { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"album": "Back' } },
  { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: ' in Black"}' } },
  { type: 'content_block_stop', index: 1 },
  { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 89, input_tokens: null, cache_creation_input_tokens: null, cache_read_input_tokens: null } },
  { type: 'message_stop' },
];

describe('Anthropic mappers', () => {
  it('maps stop reasons', () => {
    expect(mapAnthropicStopReason('end_turn')).toEqual({ reason: 'stop', raw: 'end_turn' });
    expect(mapAnthropicStopReason('tool_use')).toEqual({ reason: 'tool-calls', raw: 'tool_use' });
    expect(mapAnthropicStopReason('max_tokens')).toEqual({ reason: 'length', raw: 'max_tokens' });
    expect(mapAnthropicStopReason('refusal')).toEqual({ reason: 'content-filter', raw: 'refusal' });
    expect(mapAnthropicStopReason('pause_turn')).toEqual({ reason: 'other', raw: 'pause_turn' });
  });

  it('adds cache reads and writes into input tokens', () => {
    expect(convertAnthropicUsage({ input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 100, cache_creation_input_tokens: 20 })).toEqual({
      inputTokens: 130, outputTokens: 5, cacheReadTokens: 100, cacheWriteTokens: 20,
    });
  });

  it('reassembles a recorded stream', async () => {
    const events = await collect(fromAnthropicStream(from(RECORDED)));
    expect(events).toEqual([
      { type: 'response-start', id: 'msg_014p7gG3wDgGV9EUtLvnow3U', model: 'claude-sonnet-4-5' },
      { type: 'text-delta', delta: 'Okay, let me check' },
      { type: 'text-delta', delta: ' that album.' },
      { type: 'tool-call-start', id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_album_tracks' },
      { type: 'tool-call-delta', id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', argumentsDelta: '{"album": "Back' },
      { type: 'tool-call-delta', id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', argumentsDelta: ' in Black"}' },
      { type: 'tool-call-end', id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_album_tracks', arguments: { album: 'Back in Black' } },
      {
        type: 'finish', id: 'msg_014p7gG3wDgGV9EUtLvnow3U', model: 'claude-sonnet-4-5', finish: { reason: 'tool-calls', raw: 'tool_use' },
        usage: { inputTokens: 2272, outputTokens: 89, cacheReadTokens: 1800, cacheWriteTokens: 0 }, warnings: [],
      },
    ]);
  });

  it('a stream without message_stop, or stopped inside a tool call, is a bad response', async () => {
    await expect(collect(fromAnthropicStream(from(RECORDED.slice(0, 8))))).rejects.toThrow('the stream ended before message_stop');
    await expect(collect(fromAnthropicStream(from([...RECORDED.slice(0, 8), { type: 'message_stop' }])))).rejects.toThrow('inside a tool call');
  });

  it('merges consecutive messages of one role and skips empty text', () => {
    expect(
      toAnthropicMessages([
        { role: 'user', content: 'a' },
        { role: 'user', content: '' },
        { role: 'user', content: 'b' },
        { role: 'assistant', content: [{ type: 'text', text: '' }] },
      ]),
    ).toEqual([{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] }]);
  });

  it('maps tool choices and defaults max_tokens', () => {
    const base = { messages: [{ role: 'user' as const, content: 'x' }], tools: [{ name: 't', description: 'd', inputSchema: { type: 'object' } }] };
    expect(toAnthropicRequest({ ...base, toolChoice: 'required' }, { model: 'm' }).body).toMatchObject({ tool_choice: { type: 'any' }, max_tokens: 4096 });
    expect(toAnthropicRequest({ ...base, toolChoice: 'none' }, { model: 'm' }).body.tool_choice).toEqual({ type: 'none' });
    expect(toAnthropicRequest({ ...base, temperature: 0 }, { model: 'm' }).warnings).toHaveLength(1);
  });
});
