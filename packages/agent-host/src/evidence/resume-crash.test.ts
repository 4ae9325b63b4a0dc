// The host SIGKILLed after an admin's answer went through (the refund is in the ledger) and before the specialist's
// reply to the customer was stored: the restarted host finishes that reply, exactly once, with one ledger row.
// The support rep runs on a local fake of the OpenAI API, so the test can hold the reply back while it kills.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeOpenAI } from '../model/testing/fake-openai.ts';
import type { VendorFake } from '../model/testing/vendor-fake.ts';
import { ADMIN_TOKEN, admin, makeDataDir, TestClient } from '../testing/host-harness.ts';
import { ledgerRows } from '../testing/ledger.ts';
import { waitFor } from '../testing/wait.ts';
import { processesMatching, signal, spawnHost, type HostProcess } from './processes.ts';

let data: ReturnType<typeof makeDataDir>;
let fake: VendorFake;
let host: HostProcess | undefined;

beforeAll(async () => {
  data = makeDataDir();
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  if (host) signal(host.pid, 'SIGKILL'); // a test that failed midway leaves its host running
  for (const { pid } of processesMatching(data.dir)) signal(pid, 'SIGKILL');
  await fake?.close();
  data?.remove();
});

const env = () => ({
  DATA_DIR: data.dir,
  ADMIN_TOKEN,
  SESSION_SECRET: 'resume-crash-session-secret-0123456789abcdef',
  SUPPORT_REP_MODEL: 'openai:gpt-fake',
  OPENAI_BASE_URL: fake.baseURL,
});

function approvalRow(id: string) {
  const db = new Database(join(data.dir, 'agent-host.db'), { readonly: true });
  try {
    return db.prepare('SELECT status, result_at, completed_at FROM approval WHERE id = ?').get(id) as
      | { status: string; result_at: string | null; completed_at: string | null }
      | undefined;
  } finally {
    db.close();
  }
}

const REPLY = 'Your refund of $3.98 for invoice 98 went through.';

it('finishes the reply on restart, once, and the ledger has one row', async () => {
  fake.reply({ toolCalls: [{ id: 'call_1', name: 'process_refund', arguments: { invoice_id: 98, reason: 'duplicate' } }] });
  host = await spawnHost(env());
  const client = new TestClient(host.url);
  await client.login(1);
  const { events, done } = await client.chat('I want a refund for invoice 98 because it was a duplicate');
  const approvalId = String(events.find((e) => e.event === 'approval')?.data.id);
  const conversationId = String(done.conversationId);

  fake.hang(); // the resumed support rep never gets its answer from the model
  const asked = fake.requests.length;
  const decision = await admin(host.url).decide(approvalId, 'approve', 'crash test');
  expect(decision.body).toMatchObject({ status: 'accepted', outcome: expect.stringMatching(/Refund recorded/) });
  await waitFor(() => (fake.requests.length > asked ? true : undefined));
  expect(approvalRow(approvalId)).toMatchObject({ result_at: expect.any(String), completed_at: null });
  signal(host.pid, 'SIGKILL');
  await host.exited;
  expect(ledgerRows(data.dir)).toHaveLength(1);

  fake.reply({ text: REPLY });
  host = await spawnHost(env());
  await waitFor(() => (approvalRow(approvalId)?.completed_at ? true : undefined), 15_000);
  expect(host.output()).toMatch(/resuming 1 decided approval/);

  const again = new TestClient(host.url);
  again.cookie = client.cookie;
  const view = (await again.json<{ messages: Array<{ role: string; text: string }> }>(`/api/conversations/${conversationId}`)).body;
  expect(view.messages.filter((m) => m.text === REPLY)).toHaveLength(1);
  expect(view.messages.at(-1)).toMatchObject({ role: 'assistant', text: REPLY });
  expect(ledgerRows(data.dir)).toEqual([expect.objectContaining({ invoice_id: 98, customer_id: 1, approver_note: 'crash test' })]);

  // Another restart finds nothing left to do.
  signal(host.pid, 'SIGTERM');
  expect(await host.exited).toBe(0);
  const requests = fake.requests.length;
  host = await spawnHost(env());
  expect(host.output()).not.toMatch(/resuming/);
  expect(fake.requests.length).toBe(requests);
  signal(host.pid, 'SIGTERM');
  await host.exited;
});
