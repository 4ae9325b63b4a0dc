/** Shared inputs and helpers for the adapter contract tests (test-only). */
import type { ChatRequest, StreamEvent, TextPart, ToolCallPart } from '../types.ts';
import type { RetryPolicy } from '../retry.ts';

/** Small waits so retry tests stay fast; real timing is not asserted. */
export const FAST_RETRY: Partial<RetryPolicy> = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, maxTotalMs: 5_000, timeoutMs: 5_000 };

const albumsSchema = {
  type: 'object',
  properties: { artist: { type: 'string', description: 'Artist name' }, limit: { type: 'number' } },
  required: ['artist'],
  additionalProperties: false,
};

/** system → user → assistant (text + two parallel calls) → two tool results (one an error) → user. */
export const CONVERSATION: ChatRequest = {
  messages: [
    { role: 'system', content: 'You are the Music Expert.' },
    { role: 'user', content: 'What albums does AC/DC have?' },
    {
      role: 'assistant',
      content: [
        { type: 'text', text: 'Checking.' },
        { type: 'tool-call', id: 'call_1', name: 'get_albums_by_artist', arguments: { artist: 'AC/DC' } },
        { type: 'tool-call', id: 'call_2', name: 'get_albums_by_artist', arguments: { artist: 'ACDC' } },
      ],
    },
    {
      role: 'tool',
      content: [
        { type: 'tool-result', callId: 'call_1', name: 'get_albums_by_artist', output: 'AC/DC: Back in Black' },
        { type: 'tool-result', callId: 'call_2', name: 'get_albums_by_artist', output: 'no such artist', isError: true },
      ],
    },
  ],
  tools: [{ name: 'get_albums_by_artist', description: 'Albums by an artist.', inputSchema: albumsSchema }],
  toolChoice: 'auto',
  maxOutputTokens: 500,
};

export async function collect(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

export const textOf = (content: Array<TextPart | ToolCallPart>) =>
  content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');

export const toolCallsOf = (content: Array<TextPart | ToolCallPart>) => content.filter((part) => part.type === 'tool-call');

export const streamedText = (events: StreamEvent[]) =>
  events.flatMap((event) => (event.type === 'text-delta' ? [event.delta] : [])).join('');
