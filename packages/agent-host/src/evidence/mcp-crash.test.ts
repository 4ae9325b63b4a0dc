// MCP server children killed under the host. The child is frozen (SIGSTOP) so a call is certainly in
// flight, then killed (SIGKILL): a read-only call is asked again, once, on a fresh server; any other call comes
// back as an error result the model can read (the turn still ends with an answer); the next call spawns a fresh
// server; and a refund decision whose support call died still completes exactly once on the restarted server.
// The services as child processes (the default runs them inside the host, where nothing can be killed apart): the
// support side is the one shared support service process; killing it takes every customer's support calls down at
// once, and the next call starts it again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHost } from '../compose.ts';
import { createScriptedModel, type ScriptedTurn } from '../model/scripted.ts';
import type { ChatRequest, ToolResultPart } from '../model/types.ts';
import { admin, makeDataDir, startTestHost, TestClient } from '../testing/host-harness.ts';
import { ledgerRows } from '../testing/ledger.ts';
import { waitFor } from '../testing/wait.ts';
import { isAlive, MCP_SERVICE_PROCESSES, mcpChild, signal, waitForMcpChild } from './processes.ts';

const supervisor = createScriptedModel();
const music = createScriptedModel();
const support = createScriptedModel();
let host: RunningHost;
let data: ReturnType<typeof makeDataDir>;
const stopped = new Set<number>();

beforeAll(async () => {
  data = makeDataDir();
  host = await startTestHost(data.dir, MCP_SERVICE_PROCESSES, { models: { supervisor, music_expert: music, support_rep: support } });
});
afterAll(async () => {
  for (const pid of stopped) signal(pid, 'SIGKILL');
  await host?.close();
  data?.remove();
});

const lastToolResult = (request: ChatRequest): ToolResultPart | undefined =>
  request.messages.flatMap((m) => (m.role === 'tool' ? m.content : [])).at(-1);
const echo: ScriptedTurn = (request) => {
  const result = lastToolResult(request);
  return { text: `${result?.isError ? 'ERROR' : 'OK'}: ${result?.output ?? ''}` };
};

function albumsTurn(client: TestClient) {
  supervisor.push({ toolCalls: [{ name: 'route', arguments: { agent: 'music_expert', reason: 'catalog' } }] });
  music.push({ toolCalls: [{ name: 'get_albums_by_artist', arguments: { artist: 'AC/DC' } }] }, echo);
  return client.chat('Which albums do you have by AC/DC?');
}

/** Freezes the child, lets `start` put a call in flight, then kills it. */
async function killMidCall<T>(pid: number, start: () => Promise<T>, inFlight: () => boolean | undefined): Promise<T> {
  signal(pid, 'SIGSTOP');
  stopped.add(pid);
  const pending = start();
  await waitFor(inFlight);
  await new Promise((resolve) => setTimeout(resolve, 150)); // the request is written to the frozen child's stdin
  signal(pid, 'SIGKILL');
  await waitFor(() => !isAlive(pid) || undefined);
  stopped.delete(pid);
  return pending;
}

describe('the catalog server dies', () => {
  it('mid-call: the read-only call is asked again on a fresh server, and the turn answers from it', async () => {
    const client = new TestClient(host.url);
    await client.login(16);
    expect((await albumsTurn(client)).done.reply).toMatch(/^OK: AC\/DC has 2 albums/);
    const first = await waitForMcpChild(data.dir, 'catalog');

    const requestsBefore = music.requests.length;
    const { events, done } = await killMidCall(first, () => albumsTurn(client), () => music.requests.length > requestsBefore || undefined);
    expect(events.filter((e) => e.event === 'tool').map((e) => e.data.status)).toEqual(['started', 'done']);
    expect(String(done.reply)).toMatch(/^OK: AC\/DC has 2 albums/);
    const second = await waitForMcpChild(data.dir, 'catalog');
    expect(second).not.toBe(first);
  });

  it('between calls: the next call just works on a respawned server', async () => {
    const client = new TestClient(host.url);
    await client.login(16);
    const pid = await waitForMcpChild(data.dir, 'catalog');
    signal(pid, 'SIGKILL');
    await waitFor(() => !isAlive(pid) || undefined);
    expect((await albumsTurn(client)).done.reply).toMatch(/^OK: AC\/DC has 2 albums/);
    expect(mcpChild(data.dir, 'catalog')).not.toBe(pid);
  });
});

describe('the support server dies under a call that is not read-only', () => {
  it('process_refund comes back as an error result the model reads; nothing is asked twice or written', async () => {
    const client = new TestClient(host.url);
    await client.login(2);
    // A first support call, so the customer's server is up and its tools are known before it is frozen.
    supervisor.push({ toolCalls: [{ name: 'route', arguments: { agent: 'support_rep', reason: 'account' } }] });
    support.push({ toolCalls: [{ name: 'get_customer_profile', arguments: {} }] }, echo);
    expect((await client.chat('What is on my account?')).done.reply).toMatch(/^OK: /);
    const pid = await waitForMcpChild(data.dir, 'support');
    supervisor.push({ toolCalls: [{ name: 'route', arguments: { agent: 'support_rep', reason: 'refund' } }] });
    support.push({ toolCalls: [{ name: 'process_refund', arguments: { invoice_id: 1 } }] }, echo);
    const requestsBefore = support.requests.length;
    const { events, done } = await killMidCall(
      pid,
      () => client.chat('Please refund invoice 1.'),
      () => support.requests.length > requestsBefore || undefined,
    );
    expect(events.filter((e) => e.event === 'tool').map((e) => e.data.status)).toEqual(['started', 'error']);
    expect(String(done.reply)).toMatch(/^ERROR: The support service could not complete process_refund/);
    expect(events.find((e) => e.event === 'approval')).toBeUndefined();
    expect(ledgerRows(data.dir).filter((r) => r.invoice_id === 1)).toEqual([]);
  });
});

describe('the support server dies while an approved refund is being written', () => {
  it('the decision retries on a restarted server and the refund is written exactly once', async () => {
    const client = new TestClient(host.url);
    await client.login(1);
    supervisor.push({ toolCalls: [{ name: 'route', arguments: { agent: 'support_rep', reason: 'refund' } }] });
    support.push({ toolCalls: [{ name: 'process_refund', arguments: { invoice_id: 98, reason: 'charged twice' } }] });
    const { events, done } = await client.chat('Please refund invoice 98, I was charged twice.');
    const approval = events.find((e) => e.event === 'approval')?.data;
    expect(approval).toMatchObject({ status: 'pending', title: 'Refund of invoice 98 ($3.98)' });

    const pid = await waitForMcpChild(data.dir, 'support');
    const live = await client.follow(String(done.conversationId));
    support.push(echo); // the specialist's answer once the tool result is in
    let sent = false;
    const decision = await killMidCall(
      pid,
      () => {
        sent = true;
        return admin(host.url).decide(String(approval!.id), 'approve', 'ok');
      },
      () => sent || undefined,
    );
    expect(decision.status).toBe(200);
    expect(decision.body).toMatchObject({ status: 'accepted', outcome: expect.stringMatching(/Refund recorded/) });
    expect(ledgerRows(data.dir)).toEqual([expect.objectContaining({ invoice_id: 98, customer_id: 1, amount_cents: 398 })]);
    const streamed = await live.events;
    expect(streamed.find((e) => e.event === 'done')?.data.reply).toMatch(/^OK: .*refund/i);
    expect(mcpChild(data.dir, 'support')).not.toBe(pid);
    expect((await admin(host.url).decide(String(approval!.id), 'approve')).status).toBe(409);
    expect(ledgerRows(data.dir)).toHaveLength(1);
  });
});
