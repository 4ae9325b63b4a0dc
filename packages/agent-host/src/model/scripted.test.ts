import { describe, expect, it } from 'vitest';
import { createScriptedModel } from './scripted.ts';
import { ModelError } from './types.ts';
import type { ChatRequest, StreamEvent } from './types.ts';

const ask = (content: string): ChatRequest => ({ messages: [{ role: 'user', content }] });

describe('createScriptedModel', () => {
  it('answers turns in order and records the requests', async () => {
    const model = createScriptedModel([{ text: 'first' }, { toolCalls: [{ name: 'list_genres' }] }]);
    const a = await model.generate(ask('one'));
    const b = await model.generate(ask('two'));
    expect(a.content).toEqual([{ type: 'text', text: 'first' }]);
    expect(a.finish).toEqual({ reason: 'stop', raw: 'stop' });
    expect(b.content).toEqual([{ type: 'tool-call', id: 'scripted-call-2-1', name: 'list_genres', arguments: {} }]);
    expect(b.finish.reason).toBe('tool-calls');
    expect(model.requests.map((r) => r.messages[0])).toEqual([
      { role: 'user', content: 'one' },
      { role: 'user', content: 'two' },
    ]);
    expect(model.remaining()).toBe(0);
  });

  it('streams text in chunks and tool arguments in pieces', async () => {
    const model = createScriptedModel([{ text: 'Hello there friend', toolCalls: [{ id: 't1', name: 'get_invoice', arguments: { invoice_id: 98 } }], usage: { inputTokens: 3 } }]);
    const events: StreamEvent[] = [];
    for await (const event of model.stream(ask('hi'))) events.push(event);
    expect(events.map((e) => e.type)).toEqual([
      'response-start', 'text-delta', 'text-delta', 'text-delta', 'tool-call-start', 'tool-call-delta', 'tool-call-delta', 'tool-call-end', 'finish',
    ]);
    expect(events[7]).toEqual({ type: 'tool-call-end', id: 't1', name: 'get_invoice', arguments: { invoice_id: 98 } });
    expect(events[8]).toMatchObject({ usage: { inputTokens: 3, outputTokens: 0 } });
  });

  it('a turn may be a function of the request, or an error to throw', async () => {
    const model = createScriptedModel([
      (request) => ({ text: `you said ${request.messages.length} thing(s)` }),
      new ModelError({ provider: 'scripted', kind: 'rate_limit', message: 'slow down', retryable: true }),
    ]);
    expect((await model.generate(ask('x'))).content).toEqual([{ type: 'text', text: 'you said 1 thing(s)' }]);
    await expect(model.generate(ask('y'))).rejects.toMatchObject({ kind: 'rate_limit' });
  });

  it('fails clearly when the script runs dry', async () => {
    const model = createScriptedModel();
    await expect(model.generate(ask('hello'))).rejects.toThrow('scripted model: no turn left for request #1 (1 messages, the last from user); script more turns');
    model.push({ text: 'now there is one' });
    expect((await model.generate(ask('again'))).content[0]).toEqual({ type: 'text', text: 'now there is one' });
  });
});
