// A fake OpenAI Chat Completions vendor for whole-turn benchmarks: every answer is decided from the request
// itself (no queue), so any number of turns can run at once. Per turn it is asked three times:
//   1. a call offering the `route` tool → route by the latest user message's keywords;
//   2. a specialist call whose last message is not a tool result → one tool call for that specialist;
//   3. a specialist call ending in a tool result → a short final text.
// JSON or SSE by the request's `stream` flag, in the wire format the unit tests use (openAIWire), with usage.
import { openAIWire } from '../../packages/agent-host/src/model/testing/fake-openai.ts';
import { startFakeServer, type FakeReply } from '../../packages/agent-host/src/model/testing/fake-server.ts';
import type { FakeTurn } from '../../packages/agent-host/src/model/testing/vendor-fake.ts';
import { routeFor } from './bench-models.ts';

export interface FakeOpenAIVendor {
  /** Pass as OPENAI_BASE_URL / `configuration.baseURL`. */
  baseURL: string;
  /** Requests answered, by kind; `streamed`: how many of them asked for SSE. */
  counts: { route: number; toolCall: number; final: number; streamed: number };
  close: () => Promise<void>;
}

/** The one tool call each specialist makes, by a tool it is offered. */
const TOOL_CALLS: Array<{ name: string; arguments: Record<string, unknown> }> = [
  { name: 'get_albums_by_artist', arguments: { artist: 'AC/DC' } },
  { name: 'get_customer_profile', arguments: {} },
];

interface WireMessage {
  role: string;
  content?: string | Array<{ type: string; text?: string }> | null;
}

const textOf = (message: WireMessage | undefined) =>
  typeof message?.content === 'string' ? message.content : (message?.content ?? []).map((part) => part.text ?? '').join('');

export async function startFakeOpenAIVendor(): Promise<FakeOpenAIVendor> {
  const counts = { route: 0, toolCall: 0, final: 0, streamed: 0 };
  let ids = 0;
  const answer = (body: { messages?: WireMessage[]; tools?: Array<{ function?: { name?: string } }> }): FakeTurn | string => {
    const messages = body.messages ?? [];
    const offered = new Set((body.tools ?? []).map((t) => t.function?.name));
    // Unique ids, as a vendor's: LangChain keys messages by the completion id.
    const n = (++ids).toString(36);
    const id = `call_${n}`;
    if (offered.has('route')) {
      counts.route++;
      const user = [...messages].reverse().find((m) => m.role === 'user');
      return { id: `chatcmpl-${n}`, toolCalls: [{ id, name: 'route', arguments: { agent: routeFor(textOf(user)), reason: 'bench' } }], usage: { input: 180, output: 12 } };
    }
    if (messages.at(-1)?.role === 'tool') {
      counts.final++;
      return { id: `chatcmpl-${n}`, text: `Here is what I found: ${textOf(messages.at(-1)).slice(0, 60)}`, usage: { input: 420, output: 30 } };
    }
    const call = TOOL_CALLS.find((c) => offered.has(c.name));
    if (!call) return `no bench answer for tools [${[...offered].join(', ')}]`;
    counts.toolCall++;
    return { id: `chatcmpl-${n}`, toolCalls: [{ id, ...call }], usage: { input: 350, output: 15 } };
  };

  const server = await startFakeServer({
    keepRequests: false,
    otherwise: (request): FakeReply => {
      const turn = request.body && request.path.endsWith('/chat/completions') ? answer(request.body) : `not a chat completion: ${request.method} ${request.path}`;
      if (typeof turn === 'string') return { type: 'json', status: 400, body: openAIWire.errorBody(400, turn) };
      if (!openAIWire.isStreamRequest(request)) return { type: 'json', body: openAIWire.json(turn, request) };
      counts.streamed++;
      return { type: 'sse', events: openAIWire.events(turn, request) };
    },
  });
  return { baseURL: `${server.origin}/v1`, counts, close: () => server.close() };
}
