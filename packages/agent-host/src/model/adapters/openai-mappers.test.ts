import { describe, expect, it } from 'vitest';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions/completions';
import { collect } from './contract-fixtures.ts';
import { toOpenAIRequest } from './openai-request.ts';
import { convertOpenAIUsage, fromOpenAIResponse, mapOpenAIFinishReason } from './openai-response.ts';
import { fromOpenAIStream } from './openai-stream.ts';

async function* from<T>(items: T[]) {
  yield* items;
}
const chunk = (delta: object, finish_reason: string | null = null, extra: object = {}) =>
  ({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'deepseek-chat', choices: [{ index: 0, delta, finish_reason }], ...extra }) as ChatCompletionChunk;

describe('OpenAI mappers', () => {
  it('maps finish reasons, keeping the raw value', () => {
    expect(mapOpenAIFinishReason('stop')).toEqual({ reason: 'stop', raw: 'stop' });
    expect(mapOpenAIFinishReason('tool_calls')).toEqual({ reason: 'tool-calls', raw: 'tool_calls' });
    expect(mapOpenAIFinishReason('length')).toEqual({ reason: 'length', raw: 'length' });
    expect(mapOpenAIFinishReason('content_filter')).toEqual({ reason: 'content-filter', raw: 'content_filter' });
    expect(mapOpenAIFinishReason('insufficient_system_resource')).toEqual({ reason: 'other', raw: 'insufficient_system_resource' });
  });

  it('converts usage: OpenAI cached tokens and DeepSeek cache hits, both inside prompt_tokens', () => {
    expect(convertOpenAIUsage({ prompt_tokens: 2006, completion_tokens: 300, total_tokens: 2306, prompt_tokens_details: { cached_tokens: 1920 } })).toEqual({
      inputTokens: 2006, outputTokens: 300, cacheReadTokens: 1920, cacheWriteTokens: 0,
    });
    const deepseek = { prompt_tokens: 100, completion_tokens: 10, total_tokens: 110, prompt_cache_hit_tokens: 64, prompt_cache_miss_tokens: 36 };
    expect(convertOpenAIUsage(deepseek)).toMatchObject({ inputTokens: 100, cacheReadTokens: 64 });
    expect(convertOpenAIUsage(undefined)).toEqual({ inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 });
  });

  it('reads a recorded completion with a tool call and null content', () => {
    const completion = {
      id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
      object: 'chat.completion',
      created: 1741569952,
      model: 'gpt-4o-mini-2024-07-18',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'call_DdmO9pD3xa9XTPNJ32zg2hcA', type: 'function', function: { name: 'route', arguments: '{"agent":"music_expert","reason":"album question"}' } }],
            refusal: null,
          },
          logprobs: null,
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 82, completion_tokens: 17, total_tokens: 99 },
    } as unknown as ChatCompletion;
    expect(fromOpenAIResponse(completion)).toEqual({
      id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
      model: 'gpt-4o-mini-2024-07-18',
      content: [{ type: 'tool-call', id: 'call_DdmO9pD3xa9XTPNJ32zg2hcA', name: 'route', arguments: { agent: 'music_expert', reason: 'album question' } }],
      finish: { reason: 'tool-calls', raw: 'tool_calls' },
      usage: { inputTokens: 82, outputTokens: 17, cacheReadTokens: 0, cacheWriteTokens: 0 },
      warnings: [],
    });
  });

  it('bad tool arguments are a bad response', () => {
    const completion = {
      id: 'x', model: 'm', choices: [{ index: 0, finish_reason: 'tool_calls', message: { role: 'assistant', content: null, tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{"a":' } }] } }],
    } as unknown as ChatCompletion;
    expect(() => fromOpenAIResponse(completion)).toThrow('arguments of tool call f are not valid JSON');
  });

  it('stream: interleaved parallel calls (index-addressed), ids only on the first piece, usage chunk last', async () => {
    const events = await collect(
      fromOpenAIStream(
        from([
          chunk({ role: 'assistant', content: null }),
          chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_invoice', arguments: '' } }] }),
          chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'get_customer_profile', arguments: '{' } }] }),
          chunk({ tool_calls: [{ index: 0, function: { arguments: '{"invoice' } }] }),
          chunk({ tool_calls: [{ index: 1, function: { arguments: '}' } }] }),
          chunk({ tool_calls: [{ index: 0, function: { arguments: '_id": 98}' } }] }),
          chunk({}, 'tool_calls'),
          { ...chunk({}), choices: [], usage: { prompt_tokens: 10, completion_tokens: 4, total_tokens: 14 } } as ChatCompletionChunk,
        ]),
      ),
    );
    expect(events.filter((e) => e.type === 'tool-call-end')).toEqual([
      { type: 'tool-call-end', id: 'call_a', name: 'get_invoice', arguments: { invoice_id: 98 } },
      { type: 'tool-call-end', id: 'call_b', name: 'get_customer_profile', arguments: {} },
    ]);
    expect(events.at(-1)).toEqual({
      type: 'finish', id: 'c1', model: 'deepseek-chat', finish: { reason: 'tool-calls', raw: 'tool_calls' },
      usage: { inputTokens: 10, outputTokens: 4, cacheReadTokens: 0, cacheWriteTokens: 0 }, warnings: [],
    });
  });

  it('stream: no finish reason means the stream was cut', async () => {
    await expect(collect(fromOpenAIStream(from([chunk({ content: 'Hel' })])))).rejects.toThrow('the stream ended before the model finished');
  });

  it('request: reasoning models lose temperature, others keep it', () => {
    const request = { messages: [{ role: 'user' as const, content: 'hi' }], temperature: 0.2, maxOutputTokens: 10 };
    expect(toOpenAIRequest(request, { model: 'o3-mini', official: true })).toEqual({
      body: { model: 'o3-mini', messages: [{ role: 'user', content: 'hi' }], max_completion_tokens: 10 },
      warnings: ['temperature is not supported by o3-mini and was ignored'],
    });
    expect(toOpenAIRequest(request, { model: 'llama3.1', official: false }).body).toEqual({
      model: 'llama3.1', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10, temperature: 0.2,
    });
  });
});
