import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI } from '../testing/fake-openai.ts';
import type { VendorFake } from '../testing/vendor-fake.ts';
import { ModelError } from '../types.ts';
import type { ChatModel, ChatRequest, StreamEvent } from '../types.ts';
import { createOpenAIModel } from './openai.ts';
import { collect, CONVERSATION, FAST_RETRY, textOf, toolCallsOf } from './contract-fixtures.ts';

let fake: VendorFake;
let model: ChatModel;

beforeEach(async () => {
  fake = await startFakeOpenAI();
  model = createOpenAIModel({ apiKey: 'sk-test-secret-key-123456', baseURL: fake.baseURL, model: 'gpt-4o-mini', retry: FAST_RETRY });
});
afterEach(() => fake.close());

const parallel = {
  text: 'Let me look.',
  toolCalls: [
    { id: 'call_a', name: 'get_albums_by_artist', arguments: { artist: 'AC/DC', limit: 10 } },
    { id: 'call_b', name: 'get_tracks_by_artist', arguments: { artist: 'Accept' } },
  ],
  usage: { input: 120, output: 30, cacheRead: 64 },
};

describe('OpenAI adapter through the SDK', () => {
  it('sends messages, tool schemas and tool results with matching call ids', async () => {
    fake.reply({ text: 'Here you go.' });
    await model.generate(CONVERSATION);
    const body = fake.lastBody();
    expect(fake.requests[0]?.path).toBe('/v1/chat/completions');
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer sk-test-secret-key-123456');
    expect(body.model).toBe('gpt-4o-mini');
    expect(body.messages[0]).toEqual({ role: 'system', content: 'You are the Music Expert.' });
    expect(body.messages[2].tool_calls[0]).toEqual({
      id: 'call_1',
      type: 'function',
      function: { name: 'get_albums_by_artist', arguments: '{"artist":"AC/DC"}' },
    });
    expect(body.messages[3]).toEqual({ role: 'tool', tool_call_id: 'call_1', content: 'AC/DC: Back in Black' });
    expect(body.messages[4]).toEqual({ role: 'tool', tool_call_id: 'call_2', content: 'Error: no such artist' });
    expect(body.tools[0]).toEqual({
      type: 'function',
      function: { name: 'get_albums_by_artist', description: 'Albums by an artist.', parameters: CONVERSATION.tools![0]!.inputSchema },
    });
    expect(body.tool_choice).toBe('auto');
    expect(body.max_tokens).toBe(500); // a non-OpenAI base URL: compatible servers know max_tokens
  });

  it('generate: text, parallel tool calls, usage with cache, finish reason', async () => {
    fake.reply(parallel);
    const response = await model.generate(CONVERSATION);
    expect(textOf(response.content)).toBe('Let me look.');
    expect(toolCallsOf(response.content)).toEqual([
      { type: 'tool-call', id: 'call_a', name: 'get_albums_by_artist', arguments: { artist: 'AC/DC', limit: 10 } },
      { type: 'tool-call', id: 'call_b', name: 'get_tracks_by_artist', arguments: { artist: 'Accept' } },
    ]);
    expect(response.usage).toEqual({ inputTokens: 120, outputTokens: 30, cacheReadTokens: 64, cacheWriteTokens: 0 });
    expect(response.finish).toEqual({ reason: 'tool-calls', raw: 'tool_calls' });
    expect(response.model).toBe('gpt-4o-mini');
  });

  it('stream: reassembles split arguments of parallel calls, asks for usage', async () => {
    fake.reply({ ...parallel, argChunkSize: 3 });
    const events = await collect(model.stream(CONVERSATION));
    expect(fake.lastBody().stream).toBe(true);
    expect(fake.lastBody().stream_options).toEqual({ include_usage: true });
    expect(events[0]).toEqual({ type: 'response-start', id: 'chatcmpl-fake', model: 'gpt-4o-mini' });
    expect(events.filter((e) => e.type === 'text-delta').map((e) => (e as { delta: string }).delta).join('')).toBe('Let me look.');
    expect(events.filter((e) => e.type === 'tool-call-delta').length).toBeGreaterThan(10);
    const ends = events.filter((e) => e.type === 'tool-call-end');
    expect(ends).toEqual([
      { type: 'tool-call-end', id: 'call_a', name: 'get_albums_by_artist', arguments: { artist: 'AC/DC', limit: 10 } },
      { type: 'tool-call-end', id: 'call_b', name: 'get_tracks_by_artist', arguments: { artist: 'Accept' } },
    ]);
    const finish = events.at(-1) as Extract<StreamEvent, { type: 'finish' }>;
    expect(finish.finish).toEqual({ reason: 'tool-calls', raw: 'tool_calls' });
    expect(finish.usage).toEqual({ inputTokens: 120, outputTokens: 30, cacheReadTokens: 64, cacheWriteTokens: 0 });
  });

  it('retries a 429 after its retry-after, then succeeds', async () => {
    fake.fail(429, { retryAfter: '0.05' }).reply({ text: 'ok' });
    const response = await model.generate(CONVERSATION);
    expect(textOf(response.content)).toBe('ok');
    expect(fake.requests).toHaveLength(2);
  });

  it('retries a 500 and surfaces a ModelError when it persists', async () => {
    fake.fail(500).fail(500).fail(500);
    const error = await model.generate(CONVERSATION).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ provider: 'openai', kind: 'server', status: 500, retryable: true, attempts: 3 });
    expect(fake.requests).toHaveLength(3);
  });

  it('does not retry a 400, and never puts the key in the message', async () => {
    fake.fail(400, { message: 'bad key sk-test-secret-key-123456 here' });
    const error = (await model.generate(CONVERSATION).catch((e: unknown) => e)) as ModelError;
    expect(error).toMatchObject({ kind: 'bad_request', status: 400, retryable: false, attempts: 1 });
    expect(error.message).not.toContain('sk-test-secret');
    expect(fake.requests).toHaveLength(1);
  });

  it('a 401 is an auth error', async () => {
    fake.fail(401);
    await expect(model.generate(CONVERSATION)).rejects.toMatchObject({ kind: 'auth', status: 401 });
  });

  it('stream: retries a 429 before any output', async () => {
    fake.fail(429, { retryAfter: '0' }).reply({ text: 'hello again' });
    const events = await collect(model.stream(CONVERSATION));
    expect(events.filter((e) => e.type === 'response-start')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'finish', finish: { reason: 'stop', raw: 'stop' } });
  });

  it('stream: malformed JSON is a bad_response ModelError', async () => {
    fake.malformedStream();
    await expect(collect(model.stream(CONVERSATION))).rejects.toMatchObject({ name: 'ModelError', kind: 'bad_response' });
  });

  it('stream: a cut mid-tool-call after output fails without retry', async () => {
    fake.cutStream(parallel, 6);
    const seen: StreamEvent[] = [];
    const error = await (async () => {
      for await (const event of model.stream(CONVERSATION)) seen.push(event);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect(['network', 'bad_response']).toContain((error as ModelError).kind);
    expect(seen.some((e) => e.type === 'text-delta')).toBe(true);
    expect(fake.requests).toHaveLength(1);
  });

  it('times out a slow attempt and retries it', async () => {
    const quick = createOpenAIModel({ baseURL: fake.baseURL, model: 'llama3.1', retry: { ...FAST_RETRY, timeoutMs: 100 } });
    fake.hang().reply({ text: 'finally' });
    const response = await quick.generate(CONVERSATION);
    expect(textOf(response.content)).toBe('finally');
    expect(fake.requests).toHaveLength(2);
  });

  it('a caller abort ends the call as aborted, unretried', async () => {
    fake.hang();
    const controller = new AbortController();
    const pending = model.generate({ ...CONVERSATION, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ kind: 'aborted', retryable: false });
  });

  it('a compatible server without a key gets max_tokens and the endpoint is from the base URL', async () => {
    const local = createOpenAIModel({ baseURL: fake.baseURL, model: 'llama3.1' });
    fake.reply({ text: 'hi' });
    await local.generate(CONVERSATION);
    expect(fake.lastBody().max_tokens).toBe(500);
    expect(fake.lastBody().max_completion_tokens).toBeUndefined();
    expect(local.endpoint).toEqual({ address: '127.0.0.1', port: fake.server.port });
    expect(local.provider).toBe('openai');
  });

  it('deepseek uses its provider name and default endpoint', () => {
    const deepseek = createOpenAIModel({ apiKey: 'k', model: 'deepseek-chat', provider: 'deepseek' });
    expect(deepseek.provider).toBe('deepseek');
    expect(deepseek.endpoint).toEqual({ address: 'api.deepseek.com', port: 443 });
  });

  it('drops temperature for reasoning models with a warning', async () => {
    const reasoning = createOpenAIModel({ apiKey: 'k', baseURL: 'https://api.openai.com/v1', model: 'o4-mini', fetch: fakeFetchTo(fake) });
    fake.reply({ text: 'hi' });
    const request: ChatRequest = { ...CONVERSATION, temperature: 0 };
    const response = await reasoning.generate(request);
    expect(fake.lastBody().temperature).toBeUndefined();
    expect(fake.lastBody().max_completion_tokens).toBe(500);
    expect(response.warnings).toEqual(['temperature is not supported by o4-mini and was ignored']);
  });
});

/** Routes the official base URL to the fake: the injectable `fetch` is the test seam. */
function fakeFetchTo(target: VendorFake): typeof fetch {
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    return fetch(`${target.server.origin}${url.pathname}${url.search}`, init);
  };
}
