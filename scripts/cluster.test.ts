import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isAlive } from '../packages/agent-host/src/evidence/processes.ts';
import { TestClient } from '../packages/agent-host/src/testing/host-harness.ts';
import { ledgerRows, newestInvoice } from '../packages/agent-host/src/testing/ledger.ts';
import { readSse } from '../packages/agent-host/src/cli/sse-client.ts';
import { waitFor } from '../packages/agent-host/src/testing/wait.ts';
import { haproxyConfig } from './cluster/haproxy.ts';
import { startCluster, type Cluster } from './cluster/start-cluster.ts';

/**
 * `pnpm cluster`'s topology, real processes: PostgreSQL, HAProxy and two host replicas (offline demo model), and
 * everything a customer and an admin do goes through the balancer. The support services still write the refund
 * ledger to the cluster folder's Chinook file (shared MCP services are the next issue).
 */

let dir: string;
let cluster: Cluster;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'algorhythm-cluster-'));
  cluster = await startCluster({
    dir,
    replicas: 2,
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

it('through the balancer: sign in, chat, a refund approved exactly once, requests spread over both replicas', async () => {
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
  for (let i = 0; i < 4; i++) expect((await track('/api/session')).status).toBe(200);
  expect([...seen].sort()).toEqual(['replica1', 'replica2']);

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

it('a replica killed with SIGKILL is marked down and the other one answers everything', async () => {
  const customer = new TestClient(cluster.url);
  await customer.login(3);
  const [victim, survivor] = cluster.replicas;
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
