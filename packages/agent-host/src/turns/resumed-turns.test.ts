// Through the whole host, on the real support server and Chinook: what a specialist does after an admin's answer
// goes through the same steps as a customer's message (a second approval is recorded and can be decided; the step
// limit's notice is stored).
import { afterEach, expect, it } from 'vitest';
import { createScriptedModel, type ScriptedTurn } from '../model/scripted.ts';
import { admin, makeDataDir, startTestHost, TestClient } from '../testing/host-harness.ts';
import { ledgerRows } from '../testing/ledger.ts';
import { waitFor } from '../testing/wait.ts';

let cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

const refund = (invoice: number): ScriptedTurn => ({ toolCalls: [{ name: 'process_refund', arguments: { invoice_id: invoice, reason: 'duplicate' } }] });

async function start(support: ScriptedTurn[], env: Record<string, string> = {}) {
  const data = makeDataDir();
  const host = await startTestHost(data.dir, env, { models: { support_rep: createScriptedModel(support) } });
  cleanups.push(() => data.remove(), () => host.close());
  const client = new TestClient(host.url);
  await client.login(1);
  const { events, done } = await client.chat('I want refunds for invoices 98 and 121');
  const approval = events.find((e) => e.event === 'approval')?.data;
  return { data, host, client, approvalId: String(approval?.id), conversationId: String(done.conversationId) };
}

const lastText = async (client: TestClient, conversationId: string) =>
  (await client.json<{ messages: Array<{ text: string }> }>(`/api/conversations/${conversationId}`)).body.messages.at(-1)?.text;

it('a second approval asked for by the resumed specialist reaches the queue and can be decided', async () => {
  const env = await start([refund(98), refund(121), { text: 'Both refunds are through.' }]);
  const live = await env.client.follow(env.conversationId);
  expect((await admin(env.host.url).decide(env.approvalId, 'approve')).status).toBe(200);
  const resumed = await live.events;
  const second = resumed.find((e) => e.event === 'approval' && e.data.status === 'pending' && e.data.id !== env.approvalId)?.data;
  expect(second).toMatchObject({ title: 'Refund of invoice 121 ($3.96)' });

  const queue = (await admin(env.host.url).list('pending')).body.approvals;
  expect(queue.map((a) => a.id)).toEqual([second!.id]);
  expect(await lastText(env.client, env.conversationId)).toMatch(/Refund of invoice 121 .* is waiting for a store admin's approval/);

  expect((await admin(env.host.url).decide(String(second!.id), 'approve')).status).toBe(200);
  await waitFor(async () => ((await lastText(env.client, env.conversationId)) === 'Both refunds are through.' ? true : undefined));
  expect(ledgerRows(env.data.dir).map((r) => r.invoice_id)).toEqual([98, 121]);
  const all = (await admin(env.host.url).list()).body.approvals;
  expect(all.map((a) => [a.status, Boolean(a.completedAt)])).toEqual([
    ['accepted', true],
    ['accepted', true],
  ]);
});

it('the step limit of a resumed specialist is stored with its notice', async () => {
  const lookup: ScriptedTurn = { toolCalls: [{ name: 'get_invoice', arguments: {} }] };
  const env = await start([refund(98), lookup, lookup], { MAX_AGENT_STEPS: '2' });
  expect((await admin(env.host.url).decide(env.approvalId, 'approve')).status).toBe(200);
  await waitFor(async () => ((await lastText(env.client, env.conversationId))?.includes("couldn't finish this within 2 steps") ? true : undefined));
  const [approval] = (await admin(env.host.url).list()).body.approvals;
  expect(approval).toMatchObject({ status: 'accepted', completedAt: expect.any(String) });
});
