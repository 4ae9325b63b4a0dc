import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../types.ts';
import { decideRoute } from './route.ts';

const user = (content: string): ChatMessage => ({ role: 'user', content });
const assistant = (text: string): ChatMessage => ({ role: 'assistant', content: [{ type: 'text', text }] });

describe('decideRoute: the seed keyword rules', () => {
  it.each([
    ['What albums does AC/DC have?', 'music_expert'],
    ['Do you have any jazz?', 'music_expert'],
    ['Recommend me a good rock band', 'music_expert'],
    ['Do you have the song Yesterday?', 'music_expert'],
    ['Show me my recent orders', 'support_rep'],
    ['I want a refund for invoice 98', 'support_rep'],
    ['I want a refund for the album I bought', 'support_rep'],
    ["What's my email?", 'support_rep'],
    ['Hello!', 'support_rep'],
    ['What is the meaning of life?', 'support_rep'],
  ])('%s → %s', (text, agent) => {
    expect(decideRoute([user(text)]).agent).toBe(agent);
  });

  it('the latest message wins over history (topic switch)', () => {
    const history = [user('What albums does AC/DC have?'), assistant('Here are the albums… Would you like to see the tracks by AC/DC?')];
    expect(decideRoute([...history, user('Show me my invoices')])).toEqual({ agent: 'support_rep', reason: 'support question' });
  });

  it.each(['yes', 'Yes please!', 'sure', 'ok', 'tell me more', 'please do', 'no thanks'])("'%s' continues the topic the assistant offered", (reply) => {
    const music = [user('Hi'), assistant('Hi! …'), user('What albums does AC/DC have?'), assistant('Here they are. Would you like to see the tracks by AC/DC?')];
    expect(decideRoute([...music, user(reply)])).toEqual({ agent: 'music_expert', reason: 'continues the music topic' });
    const support = [user('Show me my orders'), assistant('Here are your most recent orders: … Would you like the details of invoice 382?')];
    expect(decideRoute([...support, user(reply)]).agent).toBe('support_rep');
  });

  it('an ambiguous reply with no history goes to the support rep', () => {
    expect(decideRoute([user('yes')])).toEqual({ agent: 'support_rep', reason: 'no clear topic' });
  });

  it('a greeting is named as such', () => {
    expect(decideRoute([user('Good morning')])).toEqual({ agent: 'support_rep', reason: 'greeting' });
  });
});
