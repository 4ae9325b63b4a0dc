import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGemini } from '../testing/fake-gemini.ts';
import type { VendorFake } from '../testing/vendor-fake.ts';
import { ModelError } from '../types.ts';
import type { ChatModel, ChatRequest, StreamEvent } from '../types.ts';
import { collect, CONVERSATION, FAST_RETRY, streamedText, textOf, toolCallsOf } from './contract-fixtures.ts';
import { createGeminiModel } from './gemini.ts';

let fake: VendorFake;
let model: ChatModel;

beforeEach(async () => {
  fake = await startFakeGemini();
  model = createGeminiModel({ apiKey: 'AIzaTestSecretKey_000000000000', baseURL: fake.baseURL, model: 'gemini-2.5-flash', retry: FAST_RETRY });
});
afterEach(() => fake.close());

const parallel = {
  text: 'Let me look.',
  toolCalls: [
    { name: 'get_albums_by_artist', arguments: { artist: 'AC/DC', limit: 10 } },
    { name: 'get_tracks_by_artist', arguments: { artist: 'Accept' }, thoughtSignature: 'c2lnbmF0dXJl' },
  ],
  usage: { input: 90, output: 12, cacheRead: 40 },
  id: 'resp-1',
};

describe('Gemini adapter through the SDK', () => {
  it('sends systemInstruction, function declarations and function responses', async () => {
    fake.reply({ text: 'Here you go.' });
    await model.generate(CONVERSATION);
    const request = fake.requests[0]!;
    expect(request.path).toBe('/v1/models/gemini-2.5-flash:generateContent');
    expect(request.headers['x-goog-api-key']).toBe('AIzaTestSecretKey_000000000000');
    const body = request.body;
    expect(body.systemInstruction.parts[0].text).toBe('You are the Music Expert.');
    expect(body.contents.map((c: { role: string }) => c.role)).toEqual(['user', 'model', 'user']);
    expect(body.contents[1].parts).toEqual([
      { text: 'Checking.' },
      { functionCall: { id: 'call_1', name: 'get_albums_by_artist', args: { artist: 'AC/DC' } } },
      { functionCall: { id: 'call_2', name: 'get_albums_by_artist', args: { artist: 'ACDC' } } },
    ]);
    expect(body.contents[2].parts).toEqual([
      { functionResponse: { id: 'call_1', name: 'get_albums_by_artist', response: { output: 'AC/DC: Back in Black' } } },
      { functionResponse: { id: 'call_2', name: 'get_albums_by_artist', response: { error: 'no such artist' } } },
    ]);
    expect(body.tools[0].functionDeclarations[0]).toEqual({
      name: 'get_albums_by_artist',
      description: 'Albums by an artist.',
      parametersJsonSchema: CONVERSATION.tools![0]!.inputSchema,
    });
    expect(body.toolConfig).toEqual({ functionCallingConfig: { mode: 'AUTO' } });
    expect(body.generationConfig.maxOutputTokens).toBe(500);
  });

  it('generate: synthesizes stable ids, keeps thought signatures, maps usage and finish', async () => {
    fake.reply(parallel);
    const response = await model.generate(CONVERSATION);
    expect(textOf(response.content)).toBe('Let me look.');
    expect(toolCallsOf(response.content)).toEqual([
      { type: 'tool-call', id: 'gemini-call-0-resp-1', name: 'get_albums_by_artist', arguments: { artist: 'AC/DC', limit: 10 } },
      {
        type: 'tool-call',
        id: 'gemini-call-1-resp-1',
        name: 'get_tracks_by_artist',
        arguments: { artist: 'Accept' },
        providerMetadata: { gemini: { thoughtSignature: 'c2lnbmF0dXJl' } },
      },
    ]);
    expect(response.finish).toEqual({ reason: 'tool-calls', raw: 'STOP' });
    expect(response.usage).toEqual({ inputTokens: 90, outputTokens: 12, cacheReadTokens: 40, cacheWriteTokens: 0 });
  });

  it('replays synthesized ids without an id, and signatures as given', async () => {
    fake.reply({ text: 'ok' });
    const request: ChatRequest = {
      messages: [
        { role: 'user', content: 'AC/DC albums?' },
        {
          role: 'assistant',
          content: [
            { type: 'tool-call', id: 'gemini-call-0-resp-1', name: 'get_albums_by_artist', arguments: { artist: 'AC/DC' }, providerMetadata: { gemini: { thoughtSignature: 'sig' } } },
          ],
        },
        { role: 'tool', content: [{ type: 'tool-result', callId: 'gemini-call-0-resp-1', name: 'get_albums_by_artist', output: 'Back in Black' }] },
      ],
    };
    await model.generate(request);
    const contents = fake.lastBody().contents;
    expect(contents[1].parts[0]).toEqual({ functionCall: { name: 'get_albums_by_artist', args: { artist: 'AC/DC' } }, thoughtSignature: 'sig' });
    expect(contents[2].parts[0]).toEqual({ functionResponse: { name: 'get_albums_by_artist', response: { output: 'Back in Black' } } });
  });

  it('Gemini 3: a replayed call without a signature gets the documented skip marker and a warning', async () => {
    const g3 = createGeminiModel({ apiKey: 'k-123456', baseURL: fake.baseURL, model: 'gemini-3-flash-preview' });
    fake.reply({ text: 'ok' });
    const response = await g3.generate(CONVERSATION);
    const parts = fake.lastBody().contents[1].parts;
    expect(parts[1].thoughtSignature).toBe('skip_thought_signature_validator');
    expect(parts[2].thoughtSignature).toBeUndefined();
    expect(response.warnings).toHaveLength(1);
  });

  it('stream: text, parallel calls with ids, usage and finish', async () => {
    fake.reply(parallel);
    const events = await collect(model.stream({ ...CONVERSATION, toolChoice: { type: 'tool', name: 'get_albums_by_artist' } }));
    expect(fake.requests[0]?.path).toBe('/v1/models/gemini-2.5-flash:streamGenerateContent');
    expect(fake.requests[0]?.query.get('alt')).toBe('sse');
    expect(fake.lastBody().toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_albums_by_artist'] } });
    expect(fake.lastBody().automaticContinuation).toBeUndefined();
    expect(streamedText(events)).toBe('Let me look.');
    expect(events.filter((e) => e.type === 'tool-call-end').map((e) => (e as { id: string }).id)).toEqual(['gemini-call-0-resp-1', 'gemini-call-1-resp-1']);
    const finish = events.at(-1) as Extract<StreamEvent, { type: 'finish' }>;
    expect(finish.finish).toEqual({ reason: 'tool-calls', raw: 'STOP' });
    expect(finish.usage).toEqual({ inputTokens: 90, outputTokens: 12, cacheReadTokens: 40, cacheWriteTokens: 0 });
  });

  it('retries a 429 honouring retry-after, then succeeds', async () => {
    fake.fail(429, { retryAfter: '0.02' }).reply({ text: 'ok' });
    const response = await model.generate(CONVERSATION);
    expect(textOf(response.content)).toBe('ok');
    expect(fake.requests).toHaveLength(2);
  });

  it('a 429 carries its retry-after into the final ModelError', async () => {
    const once = createGeminiModel({ apiKey: 'k-123456', baseURL: fake.baseURL, model: 'gemini-2.5-flash', retry: { ...FAST_RETRY, maxAttempts: 1 } });
    fake.fail(429, { retryAfter: '7' });
    await expect(once.generate(CONVERSATION)).rejects.toMatchObject({ kind: 'rate_limit', status: 429, retryAfterMs: 7000 });
  });

  it('500s exhaust the attempts; 400 is not retried', async () => {
    fake.fail(500).fail(500).fail(500).fail(400);
    await expect(model.generate(CONVERSATION)).rejects.toMatchObject({ name: 'ModelError', provider: 'gcp.gemini', kind: 'server', attempts: 3 });
    await expect(model.generate(CONVERSATION)).rejects.toMatchObject({ kind: 'bad_request', status: 400, attempts: 1 });
    expect(fake.requests).toHaveLength(4);
  });

  it('stream: malformed JSON is a bad_response ModelError', async () => {
    fake.malformedStream();
    const error = await collect(model.stream(CONVERSATION)).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ModelError', kind: 'bad_response' });
    expect((error as ModelError).message).not.toContain('AIzaTestSecret');
  });

  it('stream: cut after output fails, unretried', async () => {
    fake.cutStream(parallel, 2);
    const error = await collect(model.stream(CONVERSATION)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect(['network', 'bad_response']).toContain((error as ModelError).kind);
    expect(fake.requests).toHaveLength(1);
  });

  it('reports its endpoint', () => {
    expect(createGeminiModel({ apiKey: 'k', model: 'gemini-x' }).endpoint).toEqual({ address: 'generativelanguage.googleapis.com', port: 443 });
  });
});

describe('Gemini adapter timeouts', () => {
  it('a stream that stalls before its first chunk times out and is retried', async () => {
    const quick = createGeminiModel({ apiKey: 'k-123456', baseURL: fake.baseURL, model: 'gemini-2.5-flash', retry: { ...FAST_RETRY, timeoutMs: 100 } });
    fake.hang().reply({ text: 'after the stall' });
    const events = await collect(quick.stream(CONVERSATION));
    expect(streamedText(events)).toBe('after the stall');
    expect(fake.requests).toHaveLength(2);
  });

  it('a readable error message, not the raw JSON body', async () => {
    fake.fail(400, { message: 'Invalid JSON payload received.' });
    await expect(model.generate(CONVERSATION)).rejects.toThrow('gcp.gemini 400: Invalid JSON payload received.');
  });
});
