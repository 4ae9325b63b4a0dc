import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHost } from '../compose.ts';
import { ADMIN_TOKEN, admin, makeDataDir, startTestHost, TestClient } from '../testing/host-harness.ts';
import { useTestPostgres } from '../testing/postgres.ts';
import { openStream, type StreamedEvent } from '../testing/sse-stream.ts';

/**
 * Live events across two replicas on one PostgreSQL database: every event is a row of the `event` table first
 * and a NOTIFY second, and each replica's listener fans the rows out to its own SSE streams. So a page served
 * by A sees what B did, within a second; and a page whose stream moved from A to B resumes with Last-Event-ID,
 * missing nothing and seeing nothing twice.
 */

const server = useTestPostgres();
const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };
const summary = (events: StreamedEvent[]) => events.map((e) => ({ id: e.id, event: e.event, data: e.data }));

async function startPair(env: Record<string, string> = {}) {
  const databaseUrl = await (await server()).createDatabase();
  const data = makeDataDir();
  const all = { DATABASE_URL: databaseUrl, TRACE_STORE: 'off', ...env };
  const [a, b] = await Promise.all([startTestHost(data.dir, all), startTestHost(data.dir, all)]);
  return { a: a!, b: b!, data, close: async () => (await Promise.all([a?.close(), b?.close()]), data.remove()) };
}

async function askRefund(host: RunningHost, customerId: number, invoiceId: number, conversationId?: string) {
  const client = new TestClient(host.url);
  await client.login(customerId);
  const asked = await client.chat(`I want a refund for invoice ${invoiceId} because it was a duplicate`, conversationId);
  const approval = asked.events.find((e) => e.event === 'approval')?.data;
  expect(approval).toMatchObject({ status: 'pending' });
  return { client, approvalId: String(approval!.id), conversationId: String(asked.done.conversationId) };
}

describe('an admin decision on B', () => {
  let pair: Awaited<ReturnType<typeof startPair>>;
  beforeAll(async () => {
    pair = await startPair();
  });
  afterAll(() => pair?.close());

  it("updates the customer's page on A and every admin queue (A and B) within a second", async () => {
    const { a, b } = pair;
    const { client, approvalId, conversationId } = await askRefund(a, 1, 98);
    const page = await openStream(`${a.url}/api/conversations/${conversationId}/events`, { cookie: client.cookie });
    const queues = await Promise.all([a, b].map((host) => openStream(`${host.url}/api/admin/approvals/events`, ADMIN)));

    const sent = performance.now();
    expect((await admin(b.url).decide(approvalId, 'approve', 'duplicate')).status).toBe(200);
    const accepted = (e: StreamedEvent) => e.event === 'approval' && e.data['id'] === approvalId && e.data['status'] === 'accepted';
    for (const stream of [page, ...queues]) expect((await stream.until(accepted)).at - sent).toBeLessThan(1_000);

    // The customer's page goes on to the answer B's turn gave, each event once, ids rising.
    await page.until((e) => e.event === 'done');
    const ids = page.events.map((e) => e.id!);
    expect(ids.every((id, i) => Number.isInteger(id) && (i === 0 || id > ids[i - 1]!))).toBe(true);
    expect(page.events.filter((e) => e.event === 'done')).toHaveLength(1);
    expect(String(page.events.at(-1)!.data['reply'])).toMatch(/approved/);
    // Both admin queues saw the same events with the same ids, from the decision on (the approval's creation
    // may have been announced before both were open: the chat answers before its events are all delivered).
    await Promise.all(queues.map((q) => q.until((e) => e.data['id'] === approvalId && e.data['completedAt'] !== null && e.data['status'] === 'accepted')));
    const fromDecision = (events: StreamedEvent[]) => summary(events.slice(events.findIndex(accepted)));
    expect(fromDecision(queues[0]!.events)).toEqual(fromDecision(queues[1]!.events));
    await Promise.all([page, ...queues].map((s) => s.close()));
  });

  it('a stream that moved from A to B resumes with Last-Event-ID: every event once, none missed', async () => {
    const { a, b } = pair;
    const { client, approvalId, conversationId } = await askRefund(a, 2, 293);
    const path = `/api/conversations/${conversationId}/events`;
    const reference = await openStream(`${b.url}${path}`, { cookie: client.cookie });
    const first = await openStream(`${a.url}${path}`, { cookie: client.cookie });

    expect((await admin(b.url).decide(approvalId, 'approve')).status).toBe(200);
    // A's stream ends after the first event (its replica went away); the turn goes on meanwhile.
    const seen = await first.until(() => true);
    await first.close();
    await reference.until((e) => e.event === 'done');
    const before = first.events.filter((e) => e.id! <= seen.id!);
    expect(before.length).toBeGreaterThan(0);

    // The browser reconnects, through the balancer, to B, sending the last id it saw.
    const resumed = await openStream(`${b.url}${path}`, { cookie: client.cookie, 'last-event-id': String(seen.id) });
    await resumed.until((e) => e.event === 'done');
    await new Promise((resolve) => setTimeout(resolve, 300)); // anything extra would arrive now
    expect(summary([...before, ...resumed.events])).toEqual(summary(reference.events));
    expect(reference.events.length).toBeGreaterThan(before.length);

    // Resuming after the last event replays nothing; a malformed id replays nothing either.
    const atEnd = await openStream(`${a.url}${path}`, { cookie: client.cookie, 'last-event-id': String(reference.events.at(-1)!.id) });
    const junk = await openStream(`${a.url}${path}?lastEventId=x1`, { cookie: client.cookie });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(atEnd.events).toEqual([]);
    expect(junk.events).toEqual([]);
    await Promise.all([reference, resumed, atEnd, junk].map((s) => s.close()));
  });

  it('the replay is only of the asking customer’s own conversation (the route checks ownership first)', async () => {
    const { a } = pair;
    const { conversationId } = await askRefund(a, 3, 391);
    const stranger = new TestClient(a.url);
    await stranger.login(4);
    const response = await stranger.request(`/api/conversations/${conversationId}/events`, { headers: { 'last-event-id': '0' } });
    expect(response.status).toBe(404);
    await response.body?.cancel();
  });
});

describe('expiry across replicas', () => {
  let pair: Awaited<ReturnType<typeof startPair>>;
  beforeAll(async () => {
    pair = await startPair({ APPROVAL_TTL_SECONDS: '1', APPROVAL_SWEEP_SECONDS: '1' });
  });
  afterAll(() => pair?.close());

  it("is swept once and announced once: the customer's page on B and both admin queues get the notice exactly once", async () => {
    const { a, b } = pair;
    const client = new TestClient(a.url);
    await client.login(5);
    const started = await client.chat('Show me albums by AC/DC');
    const conversationId = String(started.done.conversationId);
    // The page (on B) is open before the approval exists: it expires a second after it is asked.
    const page = await openStream(`${b.url}/api/conversations/${conversationId}/events`, { cookie: client.cookie });
    const queues = await Promise.all([a, b].map((host) => openStream(`${host.url}/api/admin/approvals/events`, ADMIN)));
    const { approvalId } = await askRefund(a, 5, 361, conversationId);

    await page.until((e) => e.event === 'done', 10_000);
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // two more sweeps on each replica
    expect(page.events.map((e) => e.event)).toEqual(['approval', 'delta', 'done']);
    expect(page.events[0]!.data).toMatchObject({ id: approvalId, status: 'expired' });
    for (const queue of queues) {
      const expired = queue.events.filter((e) => e.data['id'] === approvalId && e.data['status'] === 'expired');
      expect(expired).toHaveLength(1);
    }
    const view = await client.json<{ messages: Array<{ role: string; text: string }> }>(`/api/conversations/${conversationId}`);
    const notices = view.body.messages.filter((m) => m.role === 'assistant' && m.text === page.events[1]!.data['text']);
    expect(notices).toHaveLength(1);
    await Promise.all([page, ...queues].map((s) => s.close()));
  });
});
