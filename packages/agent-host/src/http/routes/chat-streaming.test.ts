// Whether the specialist's vendor calls stream follows whether anyone reads the reply as it is written: a turn asked
// for as JSON gets its reply in one piece, so each vendor call is a plain JSON request (cheaper to make and to
// read); a turn over SSE streams every specialist call and its text arrives as deltas. The real `openai` adapter
// talks to a local fake of the OpenAI API, which records what was asked.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeOpenAI } from '../../model/testing/fake-openai.ts';
import type { VendorFake } from '../../model/testing/vendor-fake.ts';
import { makeDataDir, startTestHost, TestClient } from '../../testing/host-harness.ts';
import type { RunningHost } from '../../compose.ts';

let fake: VendorFake;
let host: RunningHost;
let data: ReturnType<typeof makeDataDir>;
let client: TestClient;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  data = makeDataDir();
  host = await startTestHost(data.dir, { MUSIC_EXPERT_MODEL: 'openai:gpt-fake', OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: 'test-key' });
  client = new TestClient(host.url);
  await client.login(16);
});
afterAll(async () => {
  await host?.close();
  data?.remove();
  await fake?.close();
});

const ASK_TOOL = { toolCalls: [{ id: 'call_1', name: 'get_albums_by_artist', arguments: { artist: 'AC/DC' } }] };
const REPLY = 'We have For Those About To Rock and Let There Be Rock by AC/DC.';

it('makes the specialist vendor calls of a JSON turn unstreamed, and answers with the whole reply', async () => {
  const before = fake.requests.length;
  fake.reply(ASK_TOOL, { text: REPLY });
  const { status, body } = await client.json<{ reply: string; route: string }>('/api/chat', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ message: 'Which albums do you have by AC/DC?' }),
  });
  expect(status).toBe(200);
  expect(body).toMatchObject({ route: 'music_expert', reply: REPLY });
  const asked = fake.requests.slice(before);
  expect(asked.map((request) => request.body?.stream ?? false)).toEqual([false, false]);
  // The tool's real result (Chinook) went back to the model in the second call.
  expect(JSON.stringify(asked[1]?.body)).toContain('Let There Be Rock');
});

it('streams the specialist vendor calls of an SSE turn, the reply arriving as deltas', async () => {
  const before = fake.requests.length;
  fake.reply(ASK_TOOL, { text: REPLY });
  const { events, done } = await client.chat('Which albums do you have by AC/DC?');
  expect(fake.requests.slice(before).map((request) => request.body?.stream)).toEqual([true, true]);
  const deltas = events.filter((e) => e.event === 'delta');
  expect(deltas.length).toBeGreaterThan(1);
  expect(deltas.map((e) => e.data.text).join('')).toBe(REPLY);
  expect(done.reply).toBe(REPLY);
});
