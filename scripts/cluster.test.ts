import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isAlive } from '../packages/agent-host/src/evidence/processes.ts';
import { LIMITS_OFF } from '../packages/agent-host/src/limits/testing/limits-off.ts';
import { TestClient } from '../packages/agent-host/src/testing/host-harness.ts';
import { newestInvoice, newestInvoices, postgresLedgerRows } from '../packages/agent-host/src/testing/ledger.ts';
import { readSse } from '../packages/agent-host/src/cli/sse-client.ts';
import { openStream, type StreamedEvent } from '../packages/agent-host/src/testing/sse-stream.ts';
import { storedConversationEvents } from '../packages/agent-host/src/testing/stored-events.ts';
import { waitFor } from '../packages/agent-host/src/testing/wait.ts';
import { startBearerProxy } from '../packages/mcp-kit/src/testing/bearer-proxy.ts';
import { conformanceProblems, runConformance } from '../packages/mcp-kit/src/testing/conformance.ts';
import { mintCustomerToken } from '../packages/support-mcp/src/auth/customer-token.ts';
import { connectHttp } from '../packages/support-mcp/src/testing/clients.ts';
import { haproxyConfig } from './cluster/haproxy.ts';
import { startCluster, type Cluster } from './cluster/start-cluster.ts';

/**
 * `pnpm cluster`'s topology, real processes: PostgreSQL, HAProxy and three host replicas (offline demo model), two
 * support and two catalog service replicas behind the services' HAProxy, and everything a customer and an admin do
 * goes through the balancers. The last three tests each SIGKILL a replica (a support one, then two hosts), so they
 * run last and in order. The support replicas write the refund ledger to the cluster's PostgreSQL database.
 */

let dir: string;
let cluster: Cluster;
/** The one refund ledger every support replica writes (Chinook loaded into the cluster's database at start). */
const ledger = () => postgresLedgerRows(cluster.databaseUrl);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'algorhythm-cluster-'));
  cluster = await startCluster({
    dir,
    replicas: 3,
    port: 0,
    throwawayDatabase: true,
    // Every request comes from 127.0.0.1 through the balancer: the abuse limits (tested in agent-host) are off here.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TRACE_STORE: 'off', ...LIMITS_OFF },
  });
}, 60_000);

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
  const config = haproxyConfig({
    pools: [{ name: 'hosts', port: 8080, servers: [{ name: 'replica1', port: 1 }, { name: 'replica2', port: 2 }], check: '/readyz' }],
    statsSocket: '/tmp/s',
  });
  expect(config).toMatch(/balance roundrobin/);
  expect(config).toMatch(/http-check send meth GET uri \/readyz ver HTTP\/1\.1 hdr host 127\.0\.0\.1/);
  expect(config).toMatch(/timeout tunnel 1h/);
  expect(config).not.toMatch(/cookie|stick|log/);
  expect(config).toMatch(/server replica2 127\.0\.0\.1:2\n/);
});

it('MCP pools: round robin, a 2025-era session kept on the replica that issued its id, each request logged with its MCP method', () => {
  const config = haproxyConfig({
    pools: [
      { name: 'support', port: 8081, servers: [{ name: 'support1', port: 1 }, { name: 'support2', port: 2 }], check: '/healthz', mcp: true },
      { name: 'catalog', port: 8082, servers: [{ name: 'catalog1', port: 3 }], check: '/healthz', mcp: true },
    ],
    statsSocket: '/tmp/s',
  });
  expect(config).toMatch(/frontend support\n  bind 127\.0\.0\.1:8081\n/);
  expect(config).toMatch(/frontend catalog\n  bind 127\.0\.0\.1:8082\n/);
  expect(config.match(/balance roundrobin/g)).toHaveLength(2);
  expect(config).toMatch(/stick match req\.hdr\(mcp-session-id\)\n  stick store-response res\.hdr\(mcp-session-id\)/);
  expect(config).toMatch(/http-request capture req\.hdr\(mcp-method\)/);
  expect(config).toMatch(/http-request capture req\.hdr\(mcp-session-id\)/);
  expect(config).toMatch(/server catalog1 127\.0\.0\.1:3\n/);
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
  expect(await ledger()).toEqual([expect.objectContaining({ invoice_id: 98, customer_id: 1, amount_cents: 398, approver_note: 'duplicate charge' })]);
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
  expect((await ledger()).filter((row) => row.invoice_id === invoiceId)).toHaveLength(1);
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
  await waitFor(async () => (await ledger()).some((row) => row.invoice_id === invoiceId), 5_000);
  expect((await ledger()).filter((row) => row.invoice_id === invoiceId)).toEqual([
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

/** The services' balancer log: one line per MCP request, with the replica that answered and the MCP method. */
interface McpRequest {
  pool: string;
  server: string;
  status: number;
  method: string;
  name: string;
  /** 2025-era requests after initialize. */
  session: string;
}
const mcpRequests = (): McpRequest[] =>
  readFileSync(cluster.servicesHaproxy.logPath, 'utf8')
    .split('\n')
    .flatMap((line) => {
      const m = /^(\w+) \w+\/(\S+) (-?\d+) \S+ ms \{([^|]*)\|([^|]*)\|([^}]*)\}/.exec(line);
      return m ? [{ pool: m[1]!, server: m[2]!, status: Number(m[3]), method: m[4]!, name: m[5]!, session: m[6]! }] : [];
    });
/** The MCP requests `work` caused (HAProxy logs a request when its response is complete). */
async function mcpRequestsDuring(work: () => Promise<unknown>, pool = 'support'): Promise<McpRequest[]> {
  const before = mcpRequests().length;
  await work();
  await new Promise((resolve) => setTimeout(resolve, 100));
  return mcpRequests().slice(before).filter((r) => r.pool === pool);
}
/** A customer's bearer token for the support service, as a host mints it. */
const supportToken = (customerId: number) => {
  const { SUPPORT_TOKEN_SECRET } = JSON.parse(readFileSync(cluster.secretsPath, 'utf8')) as { SUPPORT_TOKEN_SECRET: string };
  return mintCustomerToken({ customerId, secret: SUPPORT_TOKEN_SECRET });
};
const askRefund = async (customer: TestClient, customerId: number) => {
  const { invoiceId } = newestInvoice(dir, customerId);
  const asked = await customer.chat(`I want a refund for invoice ${invoiceId} because it was a duplicate`);
  const approval = asked.events.find((e) => e.event === 'approval')?.data;
  expect(approval).toMatchObject({ status: 'pending' });
  return { invoiceId, approvalId: String(approval!.id) };
};

it("one support turn's tool calls spread over both support replicas; catalog turns over both catalog replicas", async () => {
  expect(cluster.support.replicas.map((s) => s.name)).toEqual(['support1', 'support2']);
  expect(cluster.catalog.replicas.map((s) => s.name)).toEqual(['catalog1', 'catalog2']);
  const customer = new TestClient(cluster.url);
  await customer.login(4);
  // "My last order": the specialist looks the orders up, then asks for the refund: two tool calls in one turn.
  const calls = (
    await mcpRequestsDuring(async () => {
      const asked = await customer.chat('I want a refund for my last order because it was a duplicate');
      expect(asked.events.find((e) => e.event === 'approval')?.data).toMatchObject({ status: 'pending' });
    })
  ).filter((r) => r.method === 'tools/call');
  expect(calls.map((r) => [r.name, r.status])).toEqual([['get_invoice', 200], ['process_refund', 200]]);
  expect(new Set(calls.map((r) => r.server))).toEqual(new Set(['support1', 'support2']));
  const catalog = await mcpRequestsDuring(async () => {
    for (let i = 0; i < 2; i++) expect(String((await customer.chat('Show me albums by Queen')).done.reply)).toMatch(/Queen/);
  }, 'catalog');
  expect(new Set(catalog.map((r) => r.server))).toEqual(new Set(['catalog1', 'catalog2']));
});

it('a refund sealed by one support replica is completed by the other when the admin approves (shared REQUEST_STATE_KEY)', async () => {
  const customer = new TestClient(cluster.url);
  await customer.login(5);
  let asked!: Awaited<ReturnType<typeof askRefund>>;
  const asking = await mcpRequestsDuring(async () => (asked = await askRefund(customer, 5)));
  const sealedBy = asking.filter((r) => r.name === 'process_refund').at(-1)!.server;
  // Round robin alone may or may not put the retry on the other replica; out of rotation (as in a rolling restart),
  // the replica that sealed the approval cannot answer it.
  await cluster.servicesHaproxy.command(`disable server support/${sealedBy}`);
  try {
    const deciding = await mcpRequestsDuring(async () => {
      expect((await adminApi(cluster.url).approve(asked.approvalId, 'sealed elsewhere')).status).toBe(200);
      await waitFor(async () => (await ledger()).some((row) => row.invoice_id === asked.invoiceId), 5_000);
    });
    const retried = deciding.filter((r) => r.name === 'process_refund');
    expect(retried.length).toBeGreaterThan(0);
    expect(retried.every((r) => r.server !== sealedBy && r.status === 200)).toBe(true);
  } finally {
    await cluster.servicesHaproxy.command(`enable server support/${sealedBy}`);
  }
  expect((await ledger()).filter((row) => row.invoice_id === asked.invoiceId)).toEqual([
    expect.objectContaining({ customer_id: 5, approver_note: 'sealed elsewhere' }),
  ]);
  await waitFor(async () => Object.values(await cluster.servicesHaproxy.serverStates('support')).every((s) => s === 'UP'), 5_000);
});

it('a 2025-era client keeps its session through the balancer: every request after initialize reaches the replica that opened it', async () => {
  const token = await supportToken(11);
  const requests = await mcpRequestsDuring(async () => {
    const legacy = await connectHttp({ url: cluster.support.url, token, era: 'legacy' });
    try {
      for (let i = 0; i < 4; i++) expect((await legacy.client.callTool({ name: 'get_customer_profile', arguments: {} })).isError).toBeFalsy();
    } finally {
      await legacy.close();
    }
  });
  expect(requests.filter((r) => r.status >= 400)).toEqual([]);
  const inSession = requests.filter((r) => r.session);
  expect(inSession.length).toBeGreaterThan(4);
  expect(new Set(inSession.map((r) => r.session)).size).toBe(1);
  expect(new Set(inSession.map((r) => r.server)).size).toBe(1);
});

it('both services pass the official MCP conformance scenarios through their balancer (support with a customer token)', async () => {
  const catalog = await runConformance({ url: cluster.catalog.url });
  expect(conformanceProblems(catalog)).toEqual([]);
  const proxy = await startBearerProxy({ target: cluster.support.url, token: await supportToken(14) });
  try {
    expect(conformanceProblems(await runConformance({ url: proxy.url }))).toEqual([]);
  } finally {
    await proxy.close();
  }
}, 30_000);

it('SIGKILL of a support replica: the next turns are answered by the other one (refused connections redispatched, then marked down)', async () => {
  const [victim, survivor] = cluster.support.replicas;
  victim!.process.kill();
  await victim!.process.exited;
  const customer = new TestClient(cluster.url);
  await customer.login(12);
  // At once, before any health check has noticed.
  const right = await mcpRequestsDuring(() => askRefund(customer, 12));
  expect(right.length).toBeGreaterThan(0);
  expect(right.every((r) => r.server === survivor!.name && r.status === 200)).toBe(true);
  await waitFor(async () => (await cluster.servicesHaproxy.serverStates('support'))[victim!.name] === 'DOWN', 5_000);
  const other = new TestClient(cluster.url);
  await other.login(13);
  const later = await mcpRequestsDuring(() => askRefund(other, 13));
  expect(later.length).toBeGreaterThan(0);
  expect(later.every((r) => r.server === survivor!.name && r.status === 200)).toBe(true);
  expect(isAlive(victim!.pid)).toBe(false);
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
  expect((await ledger()).filter((row) => invoices.includes(row.invoice_id)).map((row) => row.approver_note).sort()).toEqual(['first', 'second']);

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
  await waitFor(async () => (await cluster.haproxy.serverStates('hosts'))[victim!.name] === 'DOWN', 5_000);
  expect(await cluster.haproxy.serverStates('hosts')).toMatchObject({ [survivor!.name]: 'UP' });
  for (let i = 0; i < 4; i++) expect(await servedBy(`${cluster.url}/readyz`)).toBe(survivor!.name);
  const reply = await customer.chat('Show me albums by Queen');
  expect(reply.done.conversationId).toBeTruthy();
  expect(isAlive(victim!.pid)).toBe(false);
});
