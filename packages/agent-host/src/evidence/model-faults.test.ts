// Model provider faults through the fake OpenAI server and the real adapter + retry policy: 200 turns
// through the real HTTP API and real MCP servers, with about 30% of the vendor's answers replaced by a
// 429 with retry-after, a 500, a hang (per-attempt timeout), a stream cut in the middle of a tool call,
// a malformed stream or a dropped connection. Every turn must end, within a generous bound, with exactly
// one `done` carrying an answer or one clear `error`, and the stored conversations must stay well-formed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHost } from '../compose.ts';
import { createOpenAIModel } from '../model/adapters/openai.ts';
import { startFakeOpenAI, type FakeTurn, type VendorFake } from '../model/testing/index.ts';
import type { RecordedRequest, Responder } from '../model/testing/fake-server.ts';
import type { ChatMessage } from '../model/types.ts';
import { makeDataDir, startTestHost, TestClient, type ChatEventRecord } from '../testing/host-harness.ts';
import { storedRows } from './foreign-data.ts';

const TURNS = 200;
const FAULT_RATE = 0.3;
const CONVERSATIONS = 40;
const PARALLEL = 8;
const TURN_BOUND_MS = 30_000;

/** A small seeded PRNG (mulberry32), so a failing run can be replayed. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = Number(process.env.FAULT_SEED ?? Date.now() % 1_000_000);
const random = prng(SEED);
const faults: Record<string, number> = {};
let fake: VendorFake;
let host: RunningHost;
let data: ReturnType<typeof makeDataDir>;

/** What a healthy vendor would answer: a route, a tool call, or a final text from the tool result. */
function healthyTurn(request: RecordedRequest): FakeTurn {
  const messages = request.body.messages as Array<{ role: string; content?: unknown }>;
  const system = String(messages[0]?.content ?? '');
  const user = [...messages].reverse().find((m) => m.role === 'user');
  const asksMusic = /albums/.test(String(user?.content ?? ''));
  if (system.includes('supervisor')) {
    return { toolCalls: [{ id: 'r', name: 'route', arguments: { agent: asksMusic ? 'music_expert' : 'support_rep', reason: 'test' } }] };
  }
  if (messages.at(-1)?.role === 'tool') return { text: `Here you go: ${String(messages.at(-1)?.content).slice(0, 60)}` };
  return asksMusic
    ? { toolCalls: [{ id: `c${request.body.messages.length}`, name: 'get_albums_by_artist', arguments: { artist: 'AC/DC' } }] }
    : { toolCalls: [{ id: `c${request.body.messages.length}`, name: 'get_invoice', arguments: {} }] };
}

/** One answer: healthy, or a fault picked at random. Re-queues itself so the fake never runs dry. */
const responder: Responder = (request) => {
  fake.enqueue(responder);
  const turn = healthyTurn(request);
  const stream = request.body.stream === true;
  if (random() >= FAULT_RATE) return answer(request, turn);
  const kinds = stream ? ['429', '500', 'hang', 'cut', 'malformed', 'destroy'] : ['429', '500', 'hang', 'destroy'];
  const kind = kinds[Math.floor(random() * kinds.length)]!;
  faults[kind] = (faults[kind] ?? 0) + 1;
  switch (kind) {
    case '429':
      return { type: 'json', status: 429, body: { error: { message: 'slow down', type: 'rate_limit_exceeded' } }, headers: { 'retry-after': '0.01' } };
    case '500':
      return { type: 'json', status: 500, body: { error: { message: 'boom', type: 'server_error' } } };
    case 'hang':
      return { type: 'hang' };
    case 'destroy':
      return { type: 'destroy' };
    case 'malformed':
      return { type: 'sse', events: [{ data: '{"id":"x","choices":[{"delta":{"content":"Hel' }, { data: '[DONE]' }] };
    default: {
      // Cut after the tool call's first argument chunk (or mid-text for a text answer).
      const events = fakeEvents(request, turn);
      return { type: 'sse', events, cutAfter: Math.min(3, events.length - 1) };
    }
  }
};

let answer: (request: RecordedRequest, turn: FakeTurn) => ReturnType<Extract<Responder, Function>>;
let fakeEvents: (request: RecordedRequest, turn: FakeTurn) => Array<{ data: unknown }>;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  const { openAIWire } = await import('../model/testing/index.ts');
  answer = (request, turn) =>
    request.body.stream === true ? { type: 'sse', events: openAIWire.events(turn, request) } : { type: 'json', body: openAIWire.json(turn, request) };
  fakeEvents = (request, turn) => openAIWire.events({ ...turn, argChunkSize: 3 }, request);
  fake.enqueue(responder);
  const model = () =>
    createOpenAIModel({
      model: 'gpt-fake',
      apiKey: 'sk-fake-key',
      baseURL: fake.baseURL,
      retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, maxTotalMs: 5_000 },
      timeoutMs: 1_000,
    });
  data = makeDataDir();
  host = await startTestHost(data.dir, {}, { models: { supervisor: model(), music_expert: model(), support_rep: model() } });
});
afterAll(async () => {
  await host?.close();
  await fake?.close();
  data?.remove();
});

interface TurnOutcome {
  events: ChatEventRecord[];
  terminal: ChatEventRecord;
}

async function boundedChat(client: TestClient, message: string, conversationId?: string): Promise<TurnOutcome> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`turn hung for ${TURN_BOUND_MS} ms: ${message}`)), TURN_BOUND_MS);
  });
  try {
    const { events } = await Promise.race([client.chat(message, conversationId), hung]);
    const terminals = events.filter((e) => e.event === 'done' || e.event === 'error');
    expect(terminals, JSON.stringify(events)).toHaveLength(1);
    return { events, terminal: terminals[0]! };
  } finally {
    clearTimeout(timer);
  }
}

describe(`${TURNS} turns with ~${FAULT_RATE * 100}% of vendor answers faulty`, () => {
  it('every turn ends with an answer or a clear error, none hangs', async () => {
    const outcomes: TurnOutcome[] = [];
    const perConversation = TURNS / CONVERSATIONS;
    const conversation = async (index: number) => {
      const client = new TestClient(host.url);
      await client.login(1 + (index % 4));
      let conversationId: string | undefined;
      for (let turn = 0; turn < perConversation; turn++) {
        const message = (index + turn) % 2 ? 'Which albums do you have by AC/DC?' : 'Show me my invoices please';
        const outcome = await boundedChat(client, message, conversationId);
        conversationId ??= String(outcome.events.find((e) => e.event === 'conversation')?.data.id);
        outcomes.push(outcome);
      }
    };
    const queue = Array.from({ length: CONVERSATIONS }, (_, i) => i);
    await Promise.all(Array.from({ length: PARALLEL }, async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) await conversation(next);
    }));

    expect(outcomes).toHaveLength(TURNS);
    const answered = outcomes.filter((o) => o.terminal.event === 'done');
    const failed = outcomes.filter((o) => o.terminal.event === 'error');
    const requests = fake.requests.length;
    console.info(`model faults (seed ${SEED}): ${requests} vendor requests, faults ${JSON.stringify(faults)}; ${answered.length} answered, ${failed.length} clean errors`);
    for (const o of answered) expect(String(o.terminal.data.reply)).toMatch(/\S/);
    for (const o of failed) {
      expect(String(o.terminal.data.message)).toMatch(/^The assistant (is busy|took too long|could not answer)|^Something went wrong/);
      expect(String(o.terminal.data.message)).not.toMatch(/sk-fake-key|\n\s+at |127\.0\.0\.1/);
    }
    // Retries absorb most faults; the rest fail cleanly. Both must have happened for the run to mean anything.
    expect(answered.length).toBeGreaterThan(TURNS * 0.5);
    expect(failed.length).toBeGreaterThan(0);
    expect(Object.keys(faults).sort()).toEqual(['429', '500', 'cut', 'destroy', 'hang', 'malformed']);
  });

  it('leaves every stored conversation well-formed: each tool call answered, no half-written step', () => {
    const byConversation = new Map<string, ChatMessage[]>();
    for (const row of storedRows(data.dir).messages) {
      byConversation.set(row.conversation_id, [...(byConversation.get(row.conversation_id) ?? []), JSON.parse(row.content) as ChatMessage]);
    }
    expect(byConversation.size).toBe(CONVERSATIONS);
    for (const messages of byConversation.values()) {
      expect(messages.filter((m) => m.role === 'user')).toHaveLength(TURNS / CONVERSATIONS);
      messages.forEach((message, i) => {
        if (message.role !== 'assistant') return;
        const calls = message.content.filter((p) => p.type === 'tool-call').map((p) => (p as { id: string }).id);
        if (calls.length === 0) return;
        const next = messages[i + 1];
        expect(next?.role).toBe('tool');
        expect(next?.role === 'tool' ? next.content.map((r) => r.callId).sort() : []).toEqual(calls.sort());
      });
    }
  });

  it('is healthy afterwards', async () => {
    expect((await new TestClient(host.url).json('/readyz')).status).toBe(200);
  });
});
