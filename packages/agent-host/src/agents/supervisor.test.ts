import { describe, expect, it } from 'vitest';
import { createScriptedModel } from '../model/scripted.ts';
import type { ChatMessage } from '../model/types.ts';
import { toModelHistory } from './history.ts';
import { dialogueOf, routeTurn } from './supervisor.ts';

const history: ChatMessage[] = [
  { role: 'user', content: 'What albums does AC/DC have?' },
  { role: 'assistant', content: [{ type: 'tool-call', id: 'c1', name: 'get_albums_by_artist', arguments: { artist: 'AC/DC' } }] },
  { role: 'tool', content: [{ type: 'tool-result', callId: 'c1', name: 'get_albums_by_artist', output: '{"albums":[]}' }] },
  { role: 'assistant', content: [{ type: 'text', text: 'Two albums. Want the tracks?' }] },
  { role: 'user', content: 'yes' },
];

describe('supervisor', () => {
  it('forces one structured route call and sees only the dialogue, not tool payloads', async () => {
    const model = createScriptedModel([{ toolCalls: [{ name: 'route', arguments: { agent: 'music_expert', reason: 'continuing music' } }] }]);
    const { decision } = await routeTurn({ model, history, previous: 'music_expert' });
    expect(decision).toEqual({ agent: 'music_expert', reason: 'continuing music', fallback: false });
    const request = model.requests[0]!;
    expect(request.toolChoice).toEqual({ type: 'tool', name: 'route' });
    expect(request.tools!.map((t) => t.name)).toEqual(['route']);
    expect(request.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(JSON.stringify(request.messages)).not.toContain('get_albums_by_artist');
  });

  it('falls back to the previous specialist when the model gives no usable route', async () => {
    const model = createScriptedModel([
      { text: 'I think music?' },
      { toolCalls: [{ name: 'route', arguments: { agent: 'billing_department', reason: 'x' } }] },
    ]);
    expect((await routeTurn({ model, history, previous: 'music_expert' })).decision).toMatchObject({
      agent: 'music_expert',
      fallback: true,
    });
    expect((await routeTurn({ model, history, previous: null })).decision).toMatchObject({ agent: 'support_rep', fallback: true });
  });

  it('keeps the last few dialogue messages only', () => {
    const long: ChatMessage[] = Array.from({ length: 30 }, (_, i) => ({ role: 'user', content: `message ${i}` }));
    const dialogue = dialogueOf(long);
    expect(dialogue).toHaveLength(8);
    expect(dialogue.at(-1)).toEqual({ role: 'user', content: 'message 29' });
  });
});

describe('model history', () => {
  it('merges consecutive assistant messages (a resumed approval follows the waiting text)', () => {
    const merged = toModelHistory([
      { role: 'user', content: 'refund 98' },
      { role: 'assistant', content: [{ type: 'text', text: 'Waiting for approval.' }] },
      { role: 'assistant', content: [{ type: 'tool-call', id: 'r', name: 'process_refund', arguments: { invoice_id: 98 } }] },
      { role: 'tool', content: [{ type: 'tool-result', callId: 'r', name: 'process_refund', output: 'refunded' }] },
    ]);
    expect(merged.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
    expect(merged[1]).toMatchObject({ content: [{ type: 'text' }, { type: 'tool-call', id: 'r' }] });
  });
});
