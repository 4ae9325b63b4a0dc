import { afterEach, describe, expect, it } from 'vitest';
import type { RunningHost } from '../compose.ts';
import { admin, makeDataDir, startTestHost, TestClient } from '../testing/host-harness.ts';
import { ledgerRows, newestInvoice } from '../testing/ledger.ts';
import { waitFor } from '../testing/wait.ts';

let cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function setup(env: Record<string, string> = {}) {
  const data = makeDataDir();
  let host = await startTestHost(data.dir, env);
  cleanups.push(() => data.remove(), () => host.close());
  return {
    data,
    get host() {
      return host;
    },
    async restart() {
      await host.close();
      host = await startTestHost(data.dir, env);
      return host;
    },
  };
}

async function requestRefund(host: RunningHost, customerId: number, invoiceId: number) {
  const client = new TestClient(host.url);
  await client.login(customerId);
  const { events, done } = await client.chat(`I want a refund for invoice ${invoiceId} because it was a duplicate`);
  const approval = events.find((e) => e.event === 'approval')?.data;
  return { client, events, done, approval };
}

describe('refund approvals', () => {
  it('waits for the admin, then writes exactly one ledger row and streams the answer to the customer', async () => {
    const env = await setup();
    const { client, events, done, approval } = await requestRefund(env.host, 1, 98);
    expect(events.find((e) => e.event === 'route')?.data).toMatchObject({ agent: 'support_rep' });
    expect(approval).toMatchObject({ status: 'pending', title: 'Refund of invoice 98 ($3.98)' });
    expect(String(done.reply)).toMatch(/waiting for a store admin's approval/);
    expect(ledgerRows(env.data.dir)).toEqual([]);

    const queue = await admin(env.host.url).list('pending');
    expect(queue.body.approvals).toHaveLength(1);
    expect(queue.body.approvals[0]).toMatchObject({
      id: approval!.id,
      customer: { id: 1, name: 'Luís Gonçalves' },
      tool: { name: 'process_refund', arguments: { invoice_id: 98, reason: expect.stringMatching(/duplicate/) } },
      elicitation: {
        message: expect.stringMatching(/Invoice 98 dated 2022-03-11, amount \$3\.98/),
        requestedSchema: { type: 'object', properties: { approve: { type: 'boolean' } } },
        summary: { title: 'Refund of invoice 98 ($3.98)', facts: expect.arrayContaining([expect.objectContaining({ value: expect.stringMatching(/duplicate/) })]) },
      },
    });
    expect(queue.body.approvals[0]).not.toHaveProperty('elicitation.requestState');

    const conversationId = String(done.conversationId);
    const live = await client.follow(conversationId);
    const decision = await admin(env.host.url).decide(String(approval!.id), 'approve', 'duplicate charge');
    expect(decision.status).toBe(200);
    expect(decision.body).toMatchObject({ status: 'accepted', decidedBy: 'Admin token <service:admin-token>', answer: { action: 'accept', content: { approve: true, note: 'duplicate charge' } } });
    expect(String(decision.body.outcome)).toMatch(/Refund recorded/);

    const streamed = await live.events;
    expect(streamed.filter((e) => e.event === 'delta').map((e) => e.data.text).join('')).toMatch(/refund of \$3\.98 for invoice 98/);

    expect(ledgerRows(env.data.dir)).toEqual([
      expect.objectContaining({ invoice_id: 98, customer_id: 1, amount_cents: 398, approved_by: 'Admin token <service:admin-token>', approver_note: 'duplicate charge' }),
    ]);
    expect((await admin(env.host.url).decide(String(approval!.id), 'approve')).status).toBe(409);
    expect((await admin(env.host.url).decide(String(approval!.id), 'decline')).status).toBe(409);
    expect(ledgerRows(env.data.dir)).toHaveLength(1);

    const view = await client.json<{ messages: Array<{ role: string; text: string }>; approvals: Array<{ status: string }> }>(
      `/api/conversations/${conversationId}`,
    );
    expect(view.body.approvals).toEqual([expect.objectContaining({ status: 'accepted', completedAt: expect.any(String) })]);
    expect(view.body.messages.at(-1)).toMatchObject({ role: 'assistant', text: expect.stringMatching(/approved/) });
  });

  it('writes nothing when the admin declines, and tells the customer', async () => {
    const env = await setup();
    const { client, done, approval } = await requestRefund(env.host, 1, 98);
    const live = await client.follow(String(done.conversationId));
    const decision = await admin(env.host.url).answer(String(approval!.id), { action: 'decline' });
    expect(decision.body).toMatchObject({ status: 'declined', answer: { action: 'decline' } });
    const text = (await live.events).filter((e) => e.event === 'delta').map((e) => e.data.text).join('');
    expect(text).toMatch(/declined|not approved/i);
    expect(ledgerRows(env.data.dir)).toEqual([]);
  });

  it('expires an undecided approval, refuses a late decision, and writes nothing', async () => {
    const env = await setup({ APPROVAL_TTL_SECONDS: '1', APPROVAL_SWEEP_SECONDS: '1' });
    const { client, done, approval } = await requestRefund(env.host, 1, 98);
    await waitFor(async () => (await admin(env.host.url).list('expired')).body.approvals.length === 1 || undefined);
    expect((await admin(env.host.url).decide(String(approval!.id), 'approve')).status).toBe(409);
    expect(ledgerRows(env.data.dir)).toEqual([]);
    const view = await client.json<{ messages: Array<{ text: string }> }>(`/api/conversations/${String(done.conversationId)}`);
    expect(view.body.messages.at(-1)?.text).toMatch(/expired/);
  });

  it('completes an approval decided after the host restarted, exactly once, into the same conversation', async () => {
    const env = await setup();
    const { client, done, approval } = await requestRefund(env.host, 1, 98);
    const host = await env.restart();

    const again = new TestClient(host.url);
    again.cookie = client.cookie;
    const conversationId = String(done.conversationId);
    const live = await again.follow(conversationId);
    const decision = await admin(host.url).decide(String(approval!.id), 'approve');
    expect(decision.body).toMatchObject({ status: 'accepted' });
    await live.events;
    expect(ledgerRows(env.data.dir)).toHaveLength(1);

    const view = await again.json<{ messages: Array<{ role: string; text: string }> }>(`/api/conversations/${conversationId}`);
    expect(view.body.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'assistant']);
    expect(view.body.messages[2]!.text).toMatch(/approved/);
  });

  it('"a refund for my last invoice": the newest invoice of the signed-in customer waits for the admin', async () => {
    const env = await setup();
    const newest = newestInvoice(env.data.dir, 16);
    const client = new TestClient(env.host.url);
    await client.login(16);
    const { events } = await client.chat('I would like a refund for my last invoice, it was a duplicate charge');
    expect(events.filter((e) => e.event === 'tool' && e.data.status === 'started').map((e) => e.data.name)).toEqual(['get_invoice', 'process_refund']);
    expect(events.find((e) => e.event === 'approval')?.data).toMatchObject({ status: 'pending', title: `Refund of invoice ${newest.invoiceId} ($${newest.total.toFixed(2)})` });
    const [pending] = (await admin(env.host.url).list('pending')).body.approvals;
    expect(pending).toMatchObject({ customer: { name: 'Frank Harris' }, tool: { arguments: { invoice_id: newest.invoiceId, reason: 'it was a duplicate charge' } } });
    await admin(env.host.url).decide(String(pending!.id), 'approve');
    await waitFor(() => ledgerRows(env.data.dir).length === 1);
    expect(ledgerRows(env.data.dir)).toEqual([expect.objectContaining({ invoice_id: newest.invoiceId, customer_id: 16, amount_cents: Math.round(newest.total * 100) })]);
  });

  it('keeps a customer out of another customer\'s invoice: no approval, no row', async () => {
    const env = await setup();
    const { done, approval } = await requestRefund(env.host, 16, 98);
    expect(approval).toBeUndefined();
    expect(String(done.reply)).toMatch(/not found|couldn't find|could not find/i);
    expect((await admin(env.host.url).list()).body.approvals).toEqual([]);
    expect(ledgerRows(env.data.dir)).toEqual([]);
  });

  it('gives exactly one ledger row when fifty admins decide at once', async () => {
    const env = await setup();
    const { approval } = await requestRefund(env.host, 1, 98);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => admin(env.host.url).decide(String(approval!.id), i % 2 ? 'approve' : 'decline')),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(49);
    const winner = results.find((r) => r.status === 200)!.body.answer as { content?: { approve?: boolean } };
    expect(ledgerRows(env.data.dir)).toHaveLength(winner.content?.approve ? 1 : 0);
  });
});
