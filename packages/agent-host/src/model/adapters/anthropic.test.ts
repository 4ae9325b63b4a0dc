import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anthropicStreamError, startFakeAnthropic } from '../testing/fake-anthropic.ts';
import type { VendorFake } from '../testing/vendor-fake.ts';
import { ModelError } from '../types.ts';
import type { ChatModel, StreamEvent } from '../types.ts';
import { createAnthropicModel } from './anthropic.ts';
import { collect, CONVERSATION, FAST_RETRY, streamedText, textOf, toolCallsOf } from './contract-fixtures.ts';

let fake: VendorFake;
let model: ChatModel;

beforeEach(async () => {
  fake = await startFakeAnthropic();
  model = createAnthropicModel({ apiKey: 'sk-ant-test-secret-0000', baseURL: fake.baseURL, model: 'claude-3-5-haiku-latest', retry: FAST_RETRY });
});
afterEach(() => fake.close());

const parallel = {
  text: 'Let me look.',
  toolCalls: [
    { id: 'toolu_a', name: 'get_albums_by_artist', arguments: { artist: 'AC/DC', limit: 10 } },
    { id: 'toolu_b', name: 'get_tracks_by_artist', arguments: { artist: 'Accept' } },
  ],
  usage: { input: 100, output: 30, cacheRead: 50, cacheWrite: 25 },
};

describe('Anthropic adapter through the SDK', () => {
  it('puts the system prompt in `system` and merges tool results into one user message', async () => {
    fake.reply({ text: 'Here you go.' });
    await model.generate({ ...CONVERSATION, messages: [...CONVERSATION.messages, { role: 'user', content: 'And Accept?' }] });
    const body = fake.lastBody();
    expect(fake.requests[0]?.path).toBe('/v1/messages');
    expect(body.system).toBe('You are the Music Expert.');
    expect(body.max_tokens).toBe(500);
    expect(body.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(body.messages[1].content).toEqual([
      { type: 'text', text: 'Checking.' },
      { type: 'tool_use', id: 'call_1', name: 'get_albums_by_artist', input: { artist: 'AC/DC' } },
      { type: 'tool_use', id: 'call_2', name: 'get_albums_by_artist', input: { artist: 'ACDC' } },
    ]);
    expect(body.messages[2].content).toEqual([
      { type: 'tool_result', tool_use_id: 'call_1', content: 'AC/DC: Back in Black' },
      { type: 'tool_result', tool_use_id: 'call_2', content: 'no such artist', is_error: true },
      { type: 'text', text: 'And Accept?' },
    ]);
    expect(body.tools).toEqual([{ name: 'get_albums_by_artist', description: 'Albums by an artist.', input_schema: CONVERSATION.tools![0]!.inputSchema }]);
    expect(body.tool_choice).toEqual({ type: 'auto' });
  });

  it('maps a forced tool choice', async () => {
    fake.reply({ toolCalls: [{ id: 'toolu_r', name: 'route', arguments: { agent: 'music_expert', reason: 'albums' } }] });
    const response = await model.generate({ ...CONVERSATION, toolChoice: { type: 'tool', name: 'get_albums_by_artist' } });
    expect(fake.lastBody().tool_choice).toEqual({ type: 'tool', name: 'get_albums_by_artist' });
    expect(toolCallsOf(response.content)[0]).toMatchObject({ id: 'toolu_r', arguments: { agent: 'music_expert' } });
  });

  it('generate: text, parallel tool calls, cache tokens added into input', async () => {
    fake.reply(parallel);
    const response = await model.generate(CONVERSATION);
    expect(textOf(response.content)).toBe('Let me look.');
    expect(toolCallsOf(response.content).map((c) => [c.id, c.arguments])).toEqual([
      ['toolu_a', { artist: 'AC/DC', limit: 10 }],
      ['toolu_b', { artist: 'Accept' }],
    ]);
    expect(response.usage).toEqual({ inputTokens: 175, outputTokens: 30, cacheReadTokens: 50, cacheWriteTokens: 25 });
    expect(response.finish).toEqual({ reason: 'tool-calls', raw: 'tool_use' });
  });

  it('stream: reassembles split tool input of parallel calls, with usage and finish', async () => {
    fake.reply({ ...parallel, argChunkSize: 2 });
    const events = await collect(model.stream(CONVERSATION));
    expect(fake.lastBody().stream).toBe(true);
    expect(events[0]).toEqual({ type: 'response-start', id: 'msg_fake', model: 'claude-3-5-haiku-latest' });
    expect(streamedText(events)).toBe('Let me look.');
    expect(events.filter((e) => e.type === 'tool-call-start').map((e) => (e as { id: string }).id)).toEqual(['toolu_a', 'toolu_b']);
    expect(events.filter((e) => e.type === 'tool-call-end')).toEqual([
      { type: 'tool-call-end', id: 'toolu_a', name: 'get_albums_by_artist', arguments: { artist: 'AC/DC', limit: 10 } },
      { type: 'tool-call-end', id: 'toolu_b', name: 'get_tracks_by_artist', arguments: { artist: 'Accept' } },
    ]);
    const finish = events.at(-1) as Extract<StreamEvent, { type: 'finish' }>;
    expect(finish).toMatchObject({ finish: { reason: 'tool-calls', raw: 'tool_use' } });
    expect(finish.usage).toEqual({ inputTokens: 175, outputTokens: 30, cacheReadTokens: 50, cacheWriteTokens: 25 });
  });

  it('retries a 429 with retry-after and a 529 overload', async () => {
    fake.fail(429, { retryAfter: '0.02' }).fail(529).reply({ text: 'ok' });
    const response = await model.generate(CONVERSATION);
    expect(textOf(response.content)).toBe('ok');
    expect(fake.requests).toHaveLength(3);
  });

  it('500s exhaust the attempts and surface as a ModelError', async () => {
    fake.fail(500).fail(500).fail(500);
    await expect(model.generate(CONVERSATION)).rejects.toMatchObject({ name: 'ModelError', provider: 'anthropic', kind: 'server', status: 500, attempts: 3 });
  });

  it('a 400 is not retried', async () => {
    fake.fail(400).reply({ text: 'never' });
    await expect(model.generate(CONVERSATION)).rejects.toMatchObject({ kind: 'bad_request', status: 400, retryable: false });
    expect(fake.requests).toHaveLength(1);
  });

  it('stream: an overloaded error event before output is retried', async () => {
    fake.enqueue({ type: 'sse', events: [anthropicStreamError()] }).reply({ text: 'second try' });
    const events = await collect(model.stream(CONVERSATION));
    expect(streamedText(events)).toBe('second try');
    expect(fake.requests).toHaveLength(2);
  });

  it('stream: malformed JSON is a bad_response ModelError', async () => {
    fake.malformedStream();
    await expect(collect(model.stream(CONVERSATION))).rejects.toMatchObject({ name: 'ModelError', kind: 'bad_response' });
  });

  it('stream: cut mid-tool-call after text fails, unretried', async () => {
    fake.cutStream(parallel, 10);
    const error = await collect(model.stream(CONVERSATION)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect(['network', 'bad_response']).toContain((error as ModelError).kind);
    expect(fake.requests).toHaveLength(1);
  });

  it('reports its endpoint', () => {
    expect(createAnthropicModel({ apiKey: 'k', model: 'claude-x' }).endpoint).toEqual({ address: 'api.anthropic.com', port: 443 });
  });
});

describe('Anthropic adapter slow responses', () => {
  it('a slow but steady stream is fine: the idle timeout resets on every chunk', async () => {
    const patient = createAnthropicModel({ apiKey: 'k-123456', baseURL: fake.baseURL, model: 'claude-x', retry: { ...FAST_RETRY, timeoutMs: 2_000 } });
    fake.slow({ text: 'one two three four' }, { eventDelayMs: 5 });
    expect(streamedText(await collect(patient.stream(CONVERSATION)))).toBe('one two three four');
  });

  it('headers that come too late time out the attempt, which is retried', async () => {
    const quick = createAnthropicModel({ apiKey: 'k-123456', baseURL: fake.baseURL, model: 'claude-x', retry: { ...FAST_RETRY, timeoutMs: 50 } });
    fake.slow({ text: 'late' }, { delayMs: 400 }).reply({ text: 'on time' });
    expect(textOf((await quick.generate(CONVERSATION)).content)).toBe('on time');
    expect(fake.requests).toHaveLength(2);
  });

  it('every attempt timing out ends as a timeout ModelError', async () => {
    const quick = createAnthropicModel({ apiKey: 'k-123456', baseURL: fake.baseURL, model: 'claude-x', retry: { ...FAST_RETRY, timeoutMs: 30, maxAttempts: 2 } });
    fake.hang().hang();
    await expect(quick.generate(CONVERSATION)).rejects.toMatchObject({ kind: 'timeout', retryable: true, attempts: 2 });
  });
});
