import { describe, expect, it } from 'vitest';
import type { ChatMessage, StreamEvent } from '../types.ts';
import { createOfflineModel } from './index.ts';
import { CATALOG_TOOLS, converse, ROUTE_TOOL } from './seed-fixtures.ts';

const start = () => ({ model: createOfflineModel(), history: [] as ChatMessage[] });

describe('offline model: the seed example conversations, end to end', () => {
  it('AC/DC albums: routes to music, calls get_albums_by_artist, lists them, streams words', async () => {
    const { model, history } = start();
    const turn = await converse(model, history, 'What albums does AC/DC have?');
    expect(turn.agent).toBe('music_expert');
    expect(turn.calls).toMatchObject([{ name: 'get_albums_by_artist', arguments: { artist: 'AC/DC' } }]);
    expect(turn.answer).toContain('For Those About To Rock We Salute You (10 tracks)');
    expect(turn.answer).toContain('Let There Be Rock (8 tracks)');
    expect(turn.answer).toMatch(/Would you like to see the tracks by AC\/DC\?$/);
    expect(turn.deltas).toBeGreaterThan(10);
  });

  it("'yes' continues the topic: the offered tracks by AC/DC", async () => {
    const { model, history } = start();
    await converse(model, history, 'What albums does AC/DC have?');
    const turn = await converse(model, history, 'yes');
    expect(turn.agent).toBe('music_expert');
    expect(turn.calls).toMatchObject([{ name: 'get_tracks_by_artist', arguments: { artist: 'AC/DC' } }]);
    expect(turn.answer).toContain('Go Down (Let There Be Rock, 5:31, $0.99)');
  });

  it('jazz artists', async () => {
    const { model, history } = start();
    const turn = await converse(model, history, 'Can you show me some jazz artists?');
    expect(turn.agent).toBe('music_expert');
    expect(turn.calls).toMatchObject([{ name: 'get_artists_by_genre', arguments: { genre: 'jazz' } }]);
    expect(turn.answer).toContain('Here are Jazz artists we carry:\n- Miles Davis');
  });

  it('a song search', async () => {
    const { model, history } = start();
    const turn = await converse(model, history, 'Do you have the song Smoke on the Water?');
    expect(turn.calls).toMatchObject([{ name: 'check_for_songs', arguments: { song_title: 'Smoke on the Water' } }]);
    expect(turn.answer).toContain('Yes, we have it:\n- Smoke On The Water by Deep Purple (Machine Head, 5:40, $0.99)');
  });

  it('a song search with only partial matches says so', async () => {
    const { model, history } = start();
    const turn = await converse(model, history, 'Do you have the song Smoke?');
    expect(turn.answer).toMatch(/^We don't have a song called exactly "Smoke", but these titles match:\n- Smoke On The Water/);
  });

  it('genres', async () => {
    const { model, history } = start();
    const turn = await converse(model, history, 'What genres do you have?');
    expect(turn.calls).toMatchObject([{ name: 'list_genres', arguments: {} }]);
    expect(turn.answer).toContain('We carry 4 genres: Rock, Metal, Jazz, Blues.');
    const more = await converse(model, history, 'sure');
    expect(more.calls).toMatchObject([{ name: 'get_artists_by_genre', arguments: { genre: 'Rock' } }]);
  });

  it('account details', async () => {
    const { model, history } = start();
    const turn = await converse(model, history, "What's the email on my account?");
    expect(turn.agent).toBe('support_rep');
    expect(turn.calls).toMatchObject([{ name: 'get_customer_profile', arguments: {} }]);
    expect(turn.answer).toContain('- Email: fharris@google.com');
    expect(turn.answer).toContain('- Name: Frank Harris');
  });

  it('orders, then the offered invoice details on "yes please"', async () => {
    const { model, history } = start();
    const turn = await converse(model, history, 'Show me my recent orders');
    expect(turn.agent).toBe('support_rep');
    expect(turn.calls).toMatchObject([{ name: 'get_invoice', arguments: {} }]);
    expect(turn.answer).toContain('- Invoice 382: 2025-10-08, $3.96, 4 items');
    const details = await converse(model, history, 'yes please');
    expect(details.agent).toBe('support_rep');
    expect(details.calls).toMatchObject([{ name: 'get_invoice', arguments: { invoice_id: 382 } }]);
    expect(details.answer).toContain('Go Down by AC/DC ($0.99)');
  });

  it('a refund for invoice 98, with the reason', async () => {
    const { model, history } = start();
    const turn = await converse(model, history, 'I want a refund for invoice 98 because I bought it twice');
    expect(turn.agent).toBe('support_rep');
    expect(turn.calls).toMatchObject([{ name: 'process_refund', arguments: { invoice_id: 98, reason: 'I bought it twice' } }]);
    expect(turn.answer).toBe('Good news: your refund of $1.98 for invoice 98 was approved and processed.');
  });

  it('a refund for "my last order": looks the orders up, then refunds the newest one, with the reason', async () => {
    const { model, history } = start();
    const turn = await converse(model, history, 'I would like a refund for my last order, it was a duplicate charge');
    expect(turn.agent).toBe('support_rep');
    expect(turn.calls).toMatchObject([
      { name: 'get_invoice', arguments: {} },
      { name: 'process_refund', arguments: { invoice_id: 382, reason: 'it was a duplicate charge' } },
    ]);
    expect(turn.answer).toBe('Good news: your refund of $1.98 for invoice 382 was approved and processed.');
  });

  it('a refund without a number: lists the orders and asks which one; "yes" requests the newest', async () => {
    const { model, history } = start();
    const turn = await converse(model, history, 'Can I get a refund on one of my purchases?');
    expect(turn.calls).toMatchObject([{ name: 'get_invoice', arguments: {} }]);
    expect(turn.answer).toContain('- Invoice 98: 2025-03-11, $1.98, 2 items');
    expect(turn.answer).toMatch(/Which order is the refund for\? Would you like a refund for invoice 382\?$/);
    const yes = await converse(model, history, 'yes');
    expect(yes.calls).toMatchObject([{ name: 'process_refund', arguments: { invoice_id: 382 } }]);
  });

  it('"I want a refund" asks which order; the answer, a number or "my last order", requests it', async () => {
    const { model, history } = start();
    const ask = await converse(model, history, 'I want a refund');
    expect(ask.calls).toEqual([]);
    expect(ask.answer).toMatch(/^I can help with a refund\. Which order is it for\?/);
    const byNumber = await converse(model, history, 'invoice 98');
    expect(byNumber.calls).toMatchObject([{ name: 'process_refund', arguments: { invoice_id: 98 } }]);

    const again = start();
    await converse(again.model, again.history, 'Can I get a refund?');
    const latest = await converse(again.model, again.history, 'my last order');
    expect(latest.calls).toMatchObject([
      { name: 'get_invoice', arguments: {} },
      { name: 'process_refund', arguments: { invoice_id: 382 } },
    ]);
  });

  it('a refund waiting for approval is said plainly', async () => {
    const model = createOfflineModel();
    const response = await model.generate({
      messages: [
        { role: 'user', content: 'Refund invoice 98' },
        { role: 'assistant', content: [{ type: 'tool-call', id: 'c1', name: 'process_refund', arguments: { invoice_id: 98 } }] },
        { role: 'tool', content: [{ type: 'tool-result', callId: 'c1', name: 'process_refund', output: 'Waiting', structured: { status: 'pending_approval' } }] },
      ],
    });
    expect(response.content).toEqual([{ type: 'text', text: expect.stringContaining("waiting for a store admin's approval") }]);
  });

  it('a greeting: routed to support, answered with a welcome', async () => {
    const { model, history } = start();
    const turn = await converse(model, history, 'Hi there!');
    expect(turn.agent).toBe('support_rep');
    expect(turn.calls).toEqual([]);
    expect(turn.answer).toMatch(/^Hi, welcome to Algorhythm! I'm the offline demo assistant/);
  });

  it('a topic switch: music, then orders, then music again', async () => {
    const { model, history } = start();
    expect((await converse(model, history, 'What albums does AC/DC have?')).agent).toBe('music_expert');
    const orders = await converse(model, history, 'Actually, can you show my purchases?');
    expect(orders.agent).toBe('support_rep');
    expect(orders.calls).toMatchObject([{ name: 'get_invoice', arguments: {} }]);
    const back = await converse(model, history, 'Do you have any albums by Miles Davis?');
    expect(back.agent).toBe('music_expert');
    expect(back.answer).toContain('Kind of Blue (5 tracks)');
  });

  it("an artist we don't carry", async () => {
    const { model, history } = start();
    const turn = await converse(model, history, 'What albums does Taylor Swift have?');
    expect(turn.calls).toMatchObject([{ name: 'get_albums_by_artist', arguments: { artist: 'Taylor Swift' } }]);
    expect(turn.answer).toBe("Sorry, we don't carry any albums by Taylor Swift. Would you like me to look up a different artist?");
  });

  it('an invoice of someone else: the error is said plainly', async () => {
    const { model, history } = start();
    const turn = await converse(model, history, 'Show me invoice 5');
    expect(turn.calls).toMatchObject([{ name: 'get_invoice', arguments: { invoice_id: 5 } }]);
    expect(turn.answer).toBe("Sorry, that didn't work: Invoice 5 was not found on your account.");
  });

  it("'no thanks' closes politely without a tool", async () => {
    const { model, history } = start();
    await converse(model, history, 'What albums does AC/DC have?');
    const turn = await converse(model, history, 'no thanks');
    expect(turn.calls).toEqual([]);
    expect(turn.answer).toBe('No problem! Is there anything else I can help you with?');
  });

  it('something it does not understand: asks to rephrase with examples', async () => {
    const { model, history } = start();
    const turn = await converse(model, history, 'What is the meaning of life?');
    expect(turn.agent).toBe('support_rep');
    expect(turn.answer).toMatch(/^Sorry, I'm the offline demo model/);
    expect(turn.answer).toContain('Show me my recent orders');
  });
});

describe('offline model: the ChatModel contract', () => {
  it('names itself honestly and estimates usage at ceil(chars / 4)', async () => {
    const model = createOfflineModel();
    expect(model).toMatchObject({ provider: 'offline', modelId: 'offline', displayName: 'offline demo model' });
    expect(model.endpoint).toBeUndefined();
    const response = await model.generate({ messages: [{ role: 'user', content: 'hello' }] });
    expect(response.usage.inputTokens).toBe(Math.ceil((JSON.stringify([]).length + 'hello'.length) / 4));
    const text = response.content[0]!.type === 'text' ? response.content[0]!.text : '';
    expect(response.usage.outputTokens).toBe(Math.ceil(text.length / 4));
    expect(response.finish).toEqual({ reason: 'stop', raw: 'stop' });
  });

  it('stream and generate agree, and a tool call streams start/delta/end', async () => {
    const model = createOfflineModel();
    const request = { messages: [{ role: 'user' as const, content: 'albums by AC/DC' }], tools: CATALOG_TOOLS, toolChoice: 'auto' as const };
    const generated = await model.generate(request);
    const events: StreamEvent[] = [];
    for await (const event of model.stream(request)) events.push(event);
    expect(events.map((e) => e.type)).toEqual(['response-start', 'tool-call-start', 'tool-call-delta', 'tool-call-end', 'finish']);
    const end = events[3] as Extract<StreamEvent, { type: 'tool-call-end' }>;
    expect(generated.content).toEqual([{ type: 'tool-call', id: end.id, name: end.name, arguments: end.arguments }]);
    expect(events.at(-1)).toMatchObject({ finish: { reason: 'tool-calls', raw: 'tool_calls' } });
  });

  it('routes only when the request forces the route tool', async () => {
    const model = createOfflineModel();
    const response = await model.generate({
      messages: [{ role: 'user', content: 'Show me my invoices' }],
      tools: [ROUTE_TOOL],
      toolChoice: { type: 'tool', name: 'route' },
    });
    expect(response.content).toMatchObject([{ type: 'tool-call', name: 'route', arguments: { agent: 'support_rep', reason: 'support question' } }]);
  });

  it('an aborted request fails as aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(createOfflineModel().generate({ messages: [{ role: 'user', content: 'hi' }], signal: controller.signal })).rejects.toMatchObject({
      kind: 'aborted',
    });
  });
});
