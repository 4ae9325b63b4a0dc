import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isAlive } from '../packages/agent-host/src/evidence/processes.ts';
import { TestClient } from '../packages/agent-host/src/testing/host-harness.ts';
import { ledgerRows, newestInvoice, newestInvoices } from '../packages/agent-host/src/testing/ledger.ts';
import { readSse } from '../packages/agent-host/src/cli/sse-client.ts';
import { openStream, type StreamedEvent } from '../packages/agent-host/src/testing/sse-stream.ts';
import { storedConversationEvents } from '../packages/agent-host/src/testing/stored-events.ts';
import { waitFor } from '../packages/agent-host/src/testing/wait.ts';
import { haproxyConfig } from './cluster/haproxy.ts';
import { startCluster, type Cluster } from './cluster/start-cluster.ts';

/**
 * `pnpm cluster`'s topology, real processes: PostgreSQL, HAProxy and three host replicas (offline demo model), and
 * everything a customer and an admin do goes through the balancer. The last two tests each SIGKILL a replica, so
 * they run last and in order. The support services still write the refund
 * ledger to the cluster folder's Chinook file (shared MCP services are the next issue).
 */

let dir: string;
let cluster: Cluster;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'algorhythm-cluster-'));
  cluster = await startCluster({
    dir,
    replicas: 3,
    port: 0,
    throwawayDatabase: true,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TRACE_STORE: 'off' },
  });
}, 30_000);

afterAll(async () => {
  const pids = cluster?.pids() ?? [];
  await cluster?.stop();
  expect(pids.filter(isAlive)).toEqual([]);
  rmSync(dir, { recursive: true, force: true });
}, 20_000);

const adminApi = (base: string) => ({
  list: async () =>
    (await (await fetch(`${base}/api/admin/approvals?status=pending`, { headers: { authorization: `Bearer ${cluster.adminToken}` } })).json()) as {
      approvals: Array<{ id: string; title?: string }>;
    },
  approve: (id: string, note: string) =>
    fetch(`${base}/api/admin/approvals/${id}/decision`, {
      method: 'POST',
      headers: { authorization: `Bearer ${cluster.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'accept', content: { approve: true, note } }),
    }),
});

const servedBy = async (url: string) => (await fetch(url)).headers.get('x-served-by');

it('generates a round-robin HAProxy config with /readyz checks and no stickiness', () => {
  const config = haproxyConfig({ port: 8080, backends: [{ name: 'replica1', port: 1 }, { name: 'replica2', port: 2 }], statsSocket: '/tmp/s' });
  expect(config).toMatch(/balance roundrobin/);
  expect(config).toMatch(/option httpchk GET \/readyz/);
  expect(config).toMatch(/timeout tunnel 1h/);
  expect(config).not.toMatch(/cookie|stick/);
  expect(config).toMatch(/server replica2 127\.0\.0\.1:2\n/);
});

it('through the balancer: sign in, chat, a refund approved exactly once, requests spread over every replica', async () => {
  const customer = new TestClient(cluster.url);
  const seen = new Set<string>();
  const track = async (path: string) => {
    const response = await customer.request(path);
    seen.add(String(response.headers.get('x-served-by')));
    return response;
  };
  expect((await customer.login(1)).status).toBe(200);
  const music = await customer.chat('Show me albums by AC/DC');
  expect(String(music.done.reply)).toMatch(/AC\/DC/);
  const conversationId = String(music.done.conversationId);
  const refund = await customer.chat('I want a refund for invoice 98 because it was a duplicate', conversationId);
  const approval = refund.events.find((e) => e.event === 'approval')?.data;
  expect(approval).toMatchObject({ status: 'pending', title: 'Refund of invoice 98 ($3.98)' });
  for (let i = 0; i < 6; i++) expect((await track('/api/session')).status).toBe(200);
  expect([...seen].sort()).toEqual(['replica1', 'replica2', 'replica3']);

  const admin = adminApi(cluster.url);
  expect((await admin.list()).approvals.map((a) => a.id)).toEqual([approval!.id]);
  const first = await admin.approve(String(approval!.id), 'duplicate charge');
  const second = await admin.approve(String(approval!.id), 'again');
  expect([first.status, second.status]).toEqual([200, 409]);
  expect(first.headers.get('x-served-by')).not.toBe(second.headers.get('x-served-by'));
  expect(ledgerRows(dir)).toEqual([expect.objectContaining({ invoice_id: 98, customer_id: 1, amount_cents: 398, approver_note: 'duplicate charge' })]);
});

it("an admin deciding on one replica reaches the customer's open stream on the other within a second", async () => {
  const [a, b] = cluster.replicas;
  const customer = new TestClient(cluster.url);
  await customer.login(2);
  const { invoiceId } = newestInvoice(dir, 2);
  const asked = await customer.chat(`I want a refund for invoice ${invoiceId} because it was a duplicate`);
  const approval = asked.events.find((e) => e.event === 'approval')?.data;
  expect(approval).toMatchObject({ status: 'pending' });

  // The customer's page holds its live stream on replica A; the admin's decision lands on replica B.
  const onA = new TestClient(a!.url);
  onA.cookie = customer.cookie;
  const stream = await onA.request(`/api/conversations/${String(asked.done.conversationId)}/events`);
  expect(stream.status).toBe(200);
  const arrivals: Array<{ event: string; data: Record<string, unknown>; at: number }> = [];
  const ended = readSse(stream, (event, data) => {
    arrivals.push({ event, data: data as Record<string, unknown>, at: Date.now() });
    return event === 'done' || event === 'error' ? 'stop' : undefined;
  });
  const decidedAt = Date.now();
  const decision = await adminApi(b!.url).approve(String(approval!.id), 'duplicate charge');
  expect(decision.status).toBe(200);
  const answeredAt = Date.now();
  await Promise.race([ended, new Promise((_, reject) => setTimeout(() => reject(new Error(`stream on A got ${JSON.stringify(arrivals)}`)), 5_000))]);

  const live = arrivals.filter((e) => e.at >= decidedAt);
  expect(live.length).toBeGreaterThan(0);
  expect(live[0]!.at - answeredAt).toBeLessThan(1_000);
  expect(live.filter((e) => e.event === 'delta').map((e) => e.data.text).join('')).toMatch(new RegExp(`refund of .* for invoice ${invoiceId}`));
  expect(live.at(-1)!.event).toBe('done');
  expect(ledgerRows(dir).filter((row) => row.invoice_id === invoiceId)).toHaveLength(1);
});

const alive = () => cluster.replicas.filter((r) => isAlive(r.pid));
const summary = (events: StreamedEvent[]) => events.map((e) => ({ id: e.id, event: e.event, data: e.data }));

it('50 concurrent decisions on one approval, spread over the replicas by the balancer: one 200, 49 409, one ledger row', async () => {
  const customer = new TestClient(cluster.url);
  await customer.login(6);
  const { invoiceId } = newestInvoice(dir, 6);
  const asked = await customer.chat(`I want a refund for invoice ${invoiceId} because it was a duplicate`);
  const approval = asked.events.find((e) => e.event === 'approval')?.data;
  expect(approval).toMatchObject({ status: 'pending' });

  const admin = adminApi(cluster.url);
  const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => admin.approve(String(approval!.id), `race ${i}`)));
  const statuses = responses.map((r) => r.status);
  await Promise.all(responses.map((r) => r.body?.cancel()));
  expect(statuses.filter((s) => s === 200)).toHaveLength(1);
  expect(statuses.filter((s) => s === 409)).toHaveLength(49);
  expect(new Set(responses.map((r) => r.headers.get('x-served-by')))).toEqual(new Set(cluster.replicas.map((r) => r.name)));
  const winner = responses.findIndex((r) => r.status === 200);
  await waitFor(async () => ledgerRows(dir).some((row) => row.invoice_id === invoiceId), 5_000);
  expect(ledgerRows(dir).filter((row) => row.invoice_id === invoiceId)).toEqual([
    expect.objectContaining({ customer_id: 6, approver_note: `race ${winner}` }),
  ]);
});

it('bad input through the balancer is refused by every replica as on one host: 413, 404, 401', async () => {
  const owner = new TestClient(cluster.url);
  await owner.login(7);
  const conversationId = String((await owner.chat('Show me albums by AC/DC')).done.conversationId);
  const stranger = new TestClient(cluster.url);
  await stranger.login(8);
  const forgedCookies = [
    'algorhythm_session=1.9999999999.forgedsignature',
    // The owner's own cookie with its payload altered (another customer) and its signature kept.
    owner.cookie.replace(/algorhythm_session=([^.;]*)/, (_, id: string) => `algorhythm_session=${id === '8' ? '9' : '8'}`),
  ];
  expect(forgedCookies[1]).not.toBe(owner.cookie);
  const refusals: Array<{ what: string; status: number; by: string | null }> = [];
  const note = async (what: string, response: Response) => {
    refusals.push({ what, status: response.status, by: response.headers.get('x-served-by') });
    await response.body?.cancel();
  };
  const attempts: Array<[what: string, send: () => Promise<Response>]> = [
    ['413', () => owner.request('/api/chat', { method: 'POST', body: JSON.stringify({ message: 'x'.repeat(100 * 1024) }) })],
    ['413', () => owner.request('/api/chat', { method: 'POST', body: JSON.stringify({ message: 'x'.repeat(8 * 1024 + 1), conversationId }) })],
    ['404', () => stranger.request(`/api/conversations/${conversationId}`)],
    ['404', () => stranger.request(`/api/conversations/${conversationId}/events`, { headers: { 'last-event-id': '0' } })],
    ['404', () => stranger.request('/api/chat', { method: 'POST', body: JSON.stringify({ message: 'what did I say?', conversationId }) })],
    ...forgedCookies.flatMap((cookie): Array<[string, () => Promise<Response>]> => [
      ['401', () => fetch(`${cluster.url}/api/conversations/${conversationId}`, { headers: { cookie } })],
      ['401', () => fetch(`${cluster.url}/api/chat`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ message: 'hi' }) })],
    ]),
  ];
  // Each attempt as many times in a row as there are replicas: round robin puts it on every one of them.
  for (const [what, send] of attempts) {
    const by = new Set<string | null>();
    for (let i = 0; i < cluster.replicas.length; i++) {
      const response = await send();
      by.add(response.headers.get('x-served-by'));
      await note(what, response);
    }
    expect(by, `${what} attempt`).toEqual(new Set(cluster.replicas.map((r) => r.name)));
  }
  expect(refusals.filter((r) => String(r.status) !== r.what)).toEqual([]);
  // The owner still has the conversation, untouched by the stranger's attempts.
  const view = await owner.json<{ messages: Array<{ role: string; text: string }> }>(`/api/conversations/${conversationId}`);
  expect(view.status).toBe(200);
  expect(view.body.messages.filter((m) => m.role === 'user').map((m) => m.text)).toEqual(['Show me albums by AC/DC']);
});

it("SIGKILL of the replica serving a customer's open stream: the page reconnects through the balancer with Last-Event-ID, sees every event once, and the conversation goes on", async () => {
  const customer = new TestClient(cluster.url);
  await customer.login(9);
  const admin = adminApi(cluster.url);
  const ask = async (invoiceId: number, conversationId?: string) => {
    const asked = await customer.chat(`I want a refund for invoice ${invoiceId} because it was a duplicate`, conversationId);
    const approval = asked.events.find((e) => e.event === 'approval')?.data;
    expect(approval).toMatchObject({ status: 'pending' });
    return { approvalId: String(approval!.id), conversationId: String(asked.done.conversationId) };
  };
  const invoices = newestInvoices(dir, 9, 2);
  const first = await ask(invoices[0]!);
  const conversationId = first.conversationId;
  const path = `${cluster.url}/api/conversations/${conversationId}/events`;

  // The page's stream, through the balancer; the first decision's events arrive on it.
  const page = await openStream(path, { cookie: customer.cookie });
  const holder = cluster.replicas.find((r) => r.name === page.headers.get('x-served-by'));
  expect(holder).toBeDefined();
  expect((await admin.approve(first.approvalId, 'first')).status).toBe(200);
  await page.until((e) => e.event === 'done');
  const second = await ask(invoices[1]!, conversationId);
  expect(second.conversationId).toBe(conversationId);

  // The replica holding the stream dies; the page reconnects through the balancer with the last id it saw.
  holder!.process.kill();
  await holder!.process.exited;
  await page.close();
  const lastSeen = page.events.at(-1)!.id!;
  const resumed = await openStream(path, { cookie: customer.cookie, 'last-event-id': String(lastSeen) });
  expect(resumed.headers.get('x-served-by')).not.toBe(holder!.name);
  const decision = await admin.approve(second.approvalId, 'second');
  expect(decision.status).toBe(200);
  expect(decision.headers.get('x-served-by')).not.toBe(holder!.name);
  await resumed.until((e) => e.event === 'done' && e.id! > lastSeen);
  await new Promise((resolve) => setTimeout(resolve, 300)); // anything extra (a duplicate) would arrive now
  await resumed.close();

  // Across the two connections: every event the store holds for the conversation, once, in id order.
  const seen = [...page.events, ...resumed.events];
  const stored = await storedConversationEvents(cluster.databaseUrl, conversationId);
  expect(summary(seen)).toEqual(stored);
  expect(new Set(seen.map((e) => e.id)).size).toBe(seen.length);
  expect(page.events.length).toBeGreaterThan(0);
  expect(resumed.events.length).toBeGreaterThan(0);
  const approvals = resumed.events.filter((e) => e.event === 'approval').map((e) => e.data);
  expect(approvals.length).toBeGreaterThan(0);
  expect(approvals.every((a) => a['id'] === second.approvalId && a['status'] === 'accepted')).toBe(true);
  expect(String(approvals.at(-1)!['outcome'])).toMatch(/Refund recorded/);
  expect(ledgerRows(dir).filter((row) => invoices.includes(row.invoice_id)).map((row) => row.approver_note).sort()).toEqual(['first', 'second']);

  // The conversation continues on a surviving replica.
  const next = await customer.chat('Show me albums by Queen', conversationId);
  expect(next.done.conversationId).toBe(conversationId);
  expect(String(next.done.reply)).toMatch(/Queen/);
});

it('a replica killed with SIGKILL is marked down and the last one answers everything', async () => {
  const customer = new TestClient(cluster.url);
  await customer.login(3);
  const [victim, survivor, ...others] = alive();
  expect(others).toEqual([]);
  victim!.process.kill();
  await victim!.process.exited;
  await waitFor(async () => (await cluster.haproxy.serverStates())[victim!.name] === 'DOWN', 5_000);
  expect(await cluster.haproxy.serverStates()).toMatchObject({ [survivor!.name]: 'UP' });
  for (let i = 0; i < 4; i++) expect(await servedBy(`${cluster.url}/readyz`)).toBe(survivor!.name);
  const reply = await customer.chat('Show me albums by Queen');
  expect(reply.done.conversationId).toBeTruthy();
  // Its support service noticed its stdin close and went too: nothing of the dead replica is left running.
  expect(isAlive(victim!.pid)).toBe(false);
});
