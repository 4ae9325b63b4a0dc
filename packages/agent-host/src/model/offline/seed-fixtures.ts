/**
 * Test-only: a tiny two-agent conversation driver over the ChatModel interface, and tool results
 * shaped per docs/tool-contracts.md, so the offline model is exercised the way the host uses it
 * (route → specialist tool call → tool result → streamed answer).
 */
import { AgentName } from '@algorhythm/web/schemas';
import type { ChatMessage, ChatModel, StreamEvent, ToolCallPart, ToolDefinition, ToolResultPart } from '../types.ts';

const object = (properties: Record<string, unknown> = {}, required: string[] = []) => ({ type: 'object', properties, required });
const tool = (name: string, properties?: Record<string, unknown>, required?: string[]): ToolDefinition => ({
  name,
  description: name.replaceAll('_', ' '),
  inputSchema: object(properties, required),
});

export const ROUTE_TOOL: ToolDefinition = tool(
  'route',
  { agent: { type: 'string', enum: AgentName.options }, reason: { type: 'string' } },
  ['agent', 'reason'],
);

export const CATALOG_TOOLS: ToolDefinition[] = [
  tool('get_albums_by_artist', { artist: { type: 'string' }, limit: { type: 'number' } }, ['artist']),
  tool('get_tracks_by_artist', { artist: { type: 'string' }, limit: { type: 'number' } }, ['artist']),
  tool('check_for_songs', { song_title: { type: 'string' }, limit: { type: 'number' } }, ['song_title']),
  tool('get_artists_by_genre', { genre: { type: 'string' }, limit: { type: 'number' } }, ['genre']),
  tool('list_genres'),
  tool('get_album_tracks', { album: { type: 'string' }, limit: { type: 'number' } }, ['album']),
];

export const SUPPORT_TOOLS: ToolDefinition[] = [
  tool('get_customer_profile'),
  tool('get_invoice', { invoice_id: { type: 'number' } }),
  tool('process_refund', { invoice_id: { type: 'number' }, reason: { type: 'string' } }, ['invoice_id']),
];

const track = (name: string, album: string, artist: string, genre: string, durationMs: number) => ({ name, album, artist, genre, durationMs, price: 0.99 });

const ACDC_TRACKS = [
  track('For Those About To Rock (We Salute You)', 'For Those About To Rock We Salute You', 'AC/DC', 'Rock', 343719),
  track('Put The Finger On You', 'For Those About To Rock We Salute You', 'AC/DC', 'Rock', 205662),
  track('Go Down', 'Let There Be Rock', 'AC/DC', 'Rock', 331180),
];

/** A fake of both MCP servers: structuredContent per the contracts, keyed on the arguments. */
export function fakeTool(call: ToolCallPart): ToolResultPart {
  const args = call.arguments;
  const q = String(args.artist ?? args.genre ?? args.song_title ?? args.album ?? '');
  const is = (pattern: RegExp) => pattern.test(q);
  const result = (structured: unknown, isError = false): ToolResultPart => ({
    type: 'tool-result',
    callId: call.id,
    name: call.name,
    output: isError ? String(structured) : JSON.stringify(structured),
    ...(isError ? { isError: true } : { structured }),
  });
  switch (call.name) {
    case 'get_albums_by_artist':
      return result({
        query: q,
        albums: is(/ac\/?dc/i)
          ? [
              { title: 'For Those About To Rock We Salute You', artist: 'AC/DC', trackCount: 10 },
              { title: 'Let There Be Rock', artist: 'AC/DC', trackCount: 8 },
            ]
          : is(/miles davis/i)
            ? [{ title: 'Kind of Blue', artist: 'Miles Davis', trackCount: 5 }]
            : [],
        truncated: false,
      });
    case 'get_tracks_by_artist':
      return result({ query: q, tracks: is(/ac\/?dc/i) ? ACDC_TRACKS : [], truncated: false });
    case 'check_for_songs':
      return result({
        query: q,
        tracks: is(/smoke/i) ? [track('Smoke On The Water', 'Machine Head', 'Deep Purple', 'Rock', 340000)] : [],
        truncated: false,
      });
    case 'get_artists_by_genre':
      return result({
        query: q,
        artists: is(/jazz/i)
          ? ['Miles Davis', 'Billy Cobham', 'Incognito', 'Antônio Carlos Jobim'].map((name) => ({ name, genre: 'Jazz' }))
          : [],
        truncated: false,
      });
    case 'list_genres':
      return result({ genres: [{ name: 'Rock', trackCount: 1297 }, { name: 'Jazz', trackCount: 130 }, { name: 'Metal', trackCount: 374 }, { name: 'Blues', trackCount: 81 }] });
    case 'get_album_tracks':
      return result({ query: q, album: null, tracks: [], truncated: false });
    case 'get_customer_profile':
      return result({
        firstName: 'Frank', lastName: 'Harris', email: 'fharris@google.com', phone: '+1 (650) 253-0000', company: 'Google Inc.',
        address: '1600 Amphitheatre Parkway', city: 'Mountain View', state: 'CA', country: 'USA', postalCode: '94043-1351',
      });
    case 'get_invoice':
      if (args.invoice_id === undefined) {
        return result({
          invoices: [
            { invoiceId: 382, date: '2025-10-08T00:00:00.000Z', total: 3.96, itemCount: 4, refunded: false },
            { invoiceId: 98, date: '2025-03-11T00:00:00.000Z', total: 1.98, itemCount: 2, refunded: false },
          ],
          truncated: false,
        });
      }
      if (args.invoice_id !== 98 && args.invoice_id !== 382) return result(`Invoice ${args.invoice_id} was not found on your account.`, true);
      return result({
        invoice: {
          invoiceId: args.invoice_id, date: '2025-03-11T00:00:00.000Z', total: 1.98, itemCount: 2, refunded: false,
          billingAddress: '1600 Amphitheatre Parkway, Mountain View, CA, USA',
          lines: [
            { track: 'Go Down', album: 'Let There Be Rock', artist: 'AC/DC', unitPrice: 0.99, quantity: 1 },
            { track: 'Dog Eat Dog', album: 'Let There Be Rock', artist: 'AC/DC', unitPrice: 0.99, quantity: 1 },
          ],
        },
      });
    case 'process_refund':
      return result({
        status: 'refunded', invoiceId: args.invoice_id, amount: 1.98, message: 'Refunded.',
        refund: { refundId: 7, invoiceId: args.invoice_id, amount: 1.98, reason: args.reason ?? null, approvedBy: 'admin', note: null, createdAt: '2026-01-01T00:00:00Z' },
      });
    default:
      return result(`Unknown tool ${call.name}`, true);
  }
}

export interface Turn {
  agent: string;
  calls: ToolCallPart[];
  results: ToolResultPart[];
  answer: string;
  /** Text deltas seen while streaming the answer. */
  deltas: number;
}

/** One customer turn: the supervisor routes, the specialist calls tools and answers (streamed). */
export async function converse(model: ChatModel, history: ChatMessage[], text: string): Promise<Turn> {
  history.push({ role: 'user', content: text });
  const dialogue = history.filter((m) => m.role === 'user' || (m.role === 'assistant' && m.content.some((p) => p.type === 'text')));
  const routed = await model.generate({
    messages: [{ role: 'system', content: 'Route.' }, ...dialogue],
    tools: [ROUTE_TOOL],
    toolChoice: { type: 'tool', name: 'route' },
  });
  const route = routed.content.find((p): p is ToolCallPart => p.type === 'tool-call');
  const agent = String(route?.arguments.agent);
  const tools = agent === 'music_expert' ? CATALOG_TOOLS : SUPPORT_TOOLS;

  const calls: ToolCallPart[] = [];
  const results: ToolResultPart[] = [];
  let answer = '';
  let deltas = 0;
  for (let step = 0; step < 4; step++) {
    const events: StreamEvent[] = [];
    for await (const event of model.stream({ messages: [{ role: 'system', content: agent }, ...history], tools, toolChoice: 'auto' })) events.push(event);
    const stepCalls = events.flatMap((e): ToolCallPart[] => (e.type === 'tool-call-end' ? [{ type: 'tool-call', id: e.id, name: e.name, arguments: e.arguments }] : []));
    const textDeltas = events.flatMap((e) => (e.type === 'text-delta' ? [e.delta] : []));
    if (stepCalls.length === 0) {
      answer = textDeltas.join('');
      deltas = textDeltas.length;
      history.push({ role: 'assistant', content: [{ type: 'text', text: answer }] });
      break;
    }
    calls.push(...stepCalls);
    const stepResults = stepCalls.map(fakeTool);
    results.push(...stepResults);
    history.push({ role: 'assistant', content: stepCalls }, { role: 'tool', content: stepResults });
  }
  return { agent, calls, results, answer, deltas };
}
