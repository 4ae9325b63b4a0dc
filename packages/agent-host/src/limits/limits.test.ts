import { beforeAll, describe, expect, it } from 'vitest';
import { useTestHost } from '../testing/host-harness.ts';
import { ClientAt, sleep, type Answer } from './testing/limit-client.ts';
import { pricedOfflineModel } from './testing/priced-model.ts';

/**
 * The abuse limits through the real app on SQLite (counters in memory), with a short window. The host trusts
 * one proxy, so each test speaks from its own X-Forwarded-For address and the per-address counts stay apart.
 */

const WINDOW_SECONDS = 5;
const PRICED = '(priced)';
let now = new Date('2026-12-04T12:00:00.000Z');
const model = pricedOfflineModel(PRICED);
const state = useTestHost(
  {
    TRACE_STORE: 'off',
    TRUST_PROXY: 'true',
    LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
    LIMIT_MESSAGES_PER_MINUTE: '2',
    LIMIT_MESSAGES_PER_MINUTE_PER_IP: '3',
    LIMIT_SIGNINS_PER_MINUTE_PER_IP: '3',
    LIMIT_SIGNINS_PER_MINUTE_PER_CUSTOMER: '2',
    // A priced turn makes two or three calls at 0.0021 USD: the first turn of the day spends it all.
    LIMIT_DAILY_BUDGET_USD: '0.004',
  },
  { models: { supervisor: model, music_expert: model, support_rep: model }, clock: () => now },
);

const client = (address: string) => new ClientAt(state.host.url, address);

beforeAll(async () => {
  // The first turn starts the MCP servers (seconds): not inside a test's window.
  const warm = client('198.51.100.99');
  await warm.login(10);
  await warm.send('Show me albums by AC/DC');
  await warm.send('Show me my invoices');
});

function expectRefused(answer: Answer, sentence: RegExp) {
  expect(answer.status).toBe(429);
  expect(answer.body.error).toMatch(sentence);
  expect(answer.retryAfter).toBeGreaterThanOrEqual(1);
}

describe('messages per customer', () => {
  it('refuses the third message in the window with 429, Retry-After and a clear sentence, stores nothing, then takes messages again', async () => {
    const alice = client('198.51.100.1');
    expect((await alice.login(1)).status).toBe(200);
    const first = await alice.send('Show me albums by AC/DC');
    expect(first.status).toBe(200);
    const conversationId = first.body.conversationId!;
    expect((await alice.send('And by Aerosmith?', conversationId)).status).toBe(200);
    const before = await alice.stored();

    const refused = await alice.send('And by Queen?', conversationId);
    expectRefused(refused, /^You are sending messages faster than the assistant answers them \(at most 2 in 5 seconds\)\. Please wait \d seconds? and try again\.$/);
    expect(refused.retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
    // From another address too: the count is the customer's.
    alice.forwardedFor = '198.51.100.11';
    expectRefused(await alice.send('A new conversation, then?'), /faster than the assistant answers them \(at most 2 in 5 seconds\)/);
    expect(await alice.stored()).toEqual(before);

    await sleep(refused.retryAfter! * 1000 + 100);
    const later = await alice.send('Show me albums by Queen', conversationId);
    expect(later.status).toBe(200);
    expect(later.body.reply).toMatch(/Queen/);
  });
});

describe('messages per address', () => {
  it('counts every customer behind one address, taken from X-Forwarded-For behind the trusted proxy', async () => {
    const bob = client('198.51.100.2');
    const carol = client('198.51.100.2');
    await bob.login(2);
    await carol.login(3);
    expect((await bob.send('Show me albums by AC/DC')).status).toBe(200);
    expect((await bob.send('Show me albums by Queen')).status).toBe(200);
    expect((await carol.send('Show me albums by Aerosmith')).status).toBe(200);
    const before = await carol.stored();

    expectRefused(
      await carol.send('Show me albums by Metallica'),
      /^Too many messages from your network \(at most 3 in 5 seconds\)\. Please wait \d seconds? and try again\.$/,
    );
    // What the client writes left of the proxy's entry is not believed.
    carol.forwardedFor = '203.0.113.50, 198.51.100.2';
    expectRefused(await carol.send('Show me albums by Metallica'), /from your network/);
    expect(await carol.stored()).toEqual(before);

    // The same customer from another address: that address has room, and so has the customer.
    carol.forwardedFor = '198.51.100.3';
    expect((await carol.send('Show me albums by Metallica')).status).toBe(200);
  });
});

describe('sign-in attempts per address', () => {
  it('counts customer and admin sign-ins alike, failed ones too, and refuses the fourth', async () => {
    const someone = client('198.51.100.4');
    expect((await someone.login(4)).status).toBe(200);
    expect((await someone.login(999_999)).status).toBe(404);
    expect((await someone.json('/api/admin/login', { method: 'POST', body: JSON.stringify({ token: 'not-the-token-at-all' }) })).status).toBe(401);

    const refused = await someone.request('/api/login', { method: 'POST', body: JSON.stringify({ customerId: 4 }) });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await refused.json()) as { error: string }).error).toMatch(
      /^Too many sign-in attempts from your network \(at most 3 in 5 seconds\)\. Please wait \d seconds? and try again\.$/,
    );
    expect(refused.headers.getSetCookie()).toEqual([]);

    expect((await client('198.51.100.5').login(4)).status).toBe(200);
  });
});

describe('sign-ins per customer', () => {
  it('counts one account’s sign-ins from every address, refuses the third with no session, leaves other accounts alone, and renews', async () => {
    expect((await client('198.51.100.20').login(7)).status).toBe(200);
    expect((await client('198.51.100.21').login(7)).status).toBe(200);

    const third = client('198.51.100.22');
    const refused = await third.request('/api/login', { method: 'POST', body: JSON.stringify({ customerId: 7 }) });
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
    expect(((await refused.json()) as { error: string }).error).toMatch(
      /^Too many sign-ins to this account \(at most 2 in 5 seconds\)\. Please wait \d seconds? and try again\.$/,
    );
    expect(refused.headers.getSetCookie()).toEqual([]);
    expect((await third.json('/api/session')).body).toMatchObject({ customer: null });

    // An unknown customer is no account: it counts for the address only.
    expect((await client('198.51.100.23').login(999_999)).status).toBe(404);
    expect((await third.login(8)).status).toBe(200);
    await sleep(retryAfter * 1000 + 100);
    expect((await third.login(7)).status).toBe(200);
  });
});

describe('daily budget per customer', () => {
  it('refuses the next turn once the day’s estimated cost reached the budget, and renews at midnight UTC', async () => {
    const dave = client('198.51.100.6');
    await dave.login(5);
    const spent = await dave.send(`Show me albums by AC/DC ${PRICED}`);
    expect(spent.status).toBe(200);
    const before = await dave.stored();

    const refused = await dave.send('Show me albums by Queen', spent.body.conversationId);
    expectRefused(
      refused,
      /^You have used today's assistant allowance \(\$0\.004 of estimated model cost\)\. It renews at midnight UTC, in 12 hours\.$/,
    );
    expect(refused.retryAfter).toBe(12 * 3600);
    expect(await dave.stored()).toEqual(before);

    // Another customer's budget is their own.
    const erin = client('198.51.100.7');
    await erin.login(6);
    expect((await erin.send('Show me albums by Queen')).status).toBe(200);

    now = new Date('2026-12-05T00:00:01.000Z');
    expect((await dave.send('Show me albums by Queen', spent.body.conversationId)).status).toBe(200);
  });
});
