// The real host executable killed with SIGKILL (no shutdown hook runs) while refunds wait for approval, and
// once more in the middle of an admin decision, then started again on the same data folder. Pending
// approvals stay pending and complete exactly once when decided; a decision cut short by the crash is
// finished by the restarted host, exactly once; conversations and sessions survive; the MCP children of
// the dead host (the services as child processes here) go away by themselves.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, admin, makeDataDir, TestClient } from '../testing/host-harness.ts';
import { ledgerRows } from '../testing/ledger.ts';
import { waitFor } from '../testing/wait.ts';
import { isAlive, MCP_SERVICE_PROCESSES, processesMatching, signal, spawnHost, waitForMcpChild, type HostProcess } from './processes.ts';

let data: ReturnType<typeof makeDataDir>;
let host: HostProcess;
const env = () => ({ ...MCP_SERVICE_PROCESSES, DATA_DIR: data.dir, ADMIN_TOKEN, SESSION_SECRET: 'host-crash-session-secret-0123456789abcdef' });
const ours = () => processesMatching(data.dir);

beforeAll(() => {
  data = makeDataDir();
});
afterAll(async () => {
  if (host) signal(host.pid, 'SIGKILL'); // a test that failed midway leaves its host running
  for (const { pid } of ours()) signal(pid, 'SIGKILL');
  data?.remove();
});

async function crash(extra: number[] = []) {
  const children = ours().filter((p) => p.pid !== host.pid);
  expect(children.length).toBeGreaterThan(0);
  signal(host.pid, 'SIGKILL');
  for (const pid of extra) signal(pid, 'SIGKILL');
  await host.exited;
  // Orphaned children see their stdin close and exit on their own (stdio catalog; the HTTP support service
  // is started with --until-stdin-closes).
  await waitFor(() => children.every((child) => !isAlive(child.pid)) || undefined, 10_000);
}

async function refund(customerId: number, invoiceId: number) {
  const client = new TestClient(host.url);
  await client.login(customerId);
  const { events, done } = await client.chat(`I want a refund for invoice ${invoiceId} because it was a duplicate`);
  const approval = events.find((e) => e.event === 'approval')?.data;
  expect(approval).toMatchObject({ status: 'pending', title: expect.stringContaining(`invoice ${invoiceId} `) });
  return { client, approvalId: String(approval!.id), conversationId: String(done.conversationId) };
}

function approvalRow(id: string): { status: string; completed_at: string | null } | undefined {
  const db = new Database(join(data.dir, 'agent-host.db'), { readonly: true });
  try {
    return db.prepare('SELECT status, completed_at FROM approval WHERE id = ?').get(id) as { status: string; completed_at: string | null } | undefined;
  } finally {
    db.close();
  }
}

describe('SIGKILL of the host', () => {
  let first: Awaited<ReturnType<typeof refund>>;
  let second: Awaited<ReturnType<typeof refund>>;
  let views: unknown[];

  it('with two approvals pending: both still pending after a restart, conversations and sessions intact', async () => {
    host = await spawnHost(env());
    first = await refund(1, 98);
    second = await refund(16, 374);
    views = await Promise.all([first, second].map(async (r) => (await r.client.json(`/api/conversations/${r.conversationId}`)).body));
    await crash();

    host = await spawnHost(env());
    const pending = (await admin(host.url).list('pending')).body.approvals.map((a) => a.id).sort();
    expect(pending).toEqual([first.approvalId, second.approvalId].sort());
    for (const [i, r] of [first, second].entries()) {
      const again = new TestClient(host.url);
      again.cookie = r.client.cookie;
      expect((await again.json(`/api/conversations/${r.conversationId}`)).body).toEqual(views[i]);
      r.client = again;
    }
    expect(ledgerRows(data.dir)).toEqual([]);
  });

  it('then decided: approved once (one row), declined writes nothing, a second decision is 409', async () => {
    const live = await first.client.follow(first.conversationId);
    const approve = await admin(host.url).decide(first.approvalId, 'approve', 'after the crash');
    expect(approve.body).toMatchObject({ status: 'accepted', outcome: expect.stringMatching(/Refund recorded/) });
    expect((await live.events).find((e) => e.event === 'done')?.data.reply).toMatch(/approved/);
    expect((await admin(host.url).decide(second.approvalId, 'decline')).body).toMatchObject({ status: 'declined' });
    expect((await admin(host.url).decide(first.approvalId, 'approve')).status).toBe(409);
    expect((await admin(host.url).decide(second.approvalId, 'approve')).status).toBe(409);
    expect(ledgerRows(data.dir)).toEqual([expect.objectContaining({ invoice_id: 98, customer_id: 1, approved_by: 'Admin token <service:admin-token>', approver_note: 'after the crash' })]);
  });

  it('in the middle of a decision: the restarted host finishes it, exactly once', async () => {
    const third = await refund(2, 1);
    const child = await waitForMcpChild(data.dir, 'support');
    signal(child, 'SIGSTOP'); // the support call for the decision cannot answer
    const decision = admin(host.url).decide(third.approvalId, 'approve', 'mid-crash').catch((error: unknown) => error);
    await waitFor(() => approvalRow(third.approvalId)?.status === 'accepted' || undefined);
    expect(approvalRow(third.approvalId)?.completed_at).toBeNull();
    await crash([child]);
    expect(await decision).toBeInstanceOf(Error); // the admin's request died with the host
    expect(ledgerRows(data.dir).map((r) => r.invoice_id)).toEqual([98]);

    host = await spawnHost(env());
    await waitFor(async () => {
      const approved = (await admin(host.url).list('accepted')).body.approvals.find((a) => a.id === third.approvalId);
      return approved?.outcome ? approved : undefined;
    });
    expect(host.output()).toMatch(/resuming 1 decided approval/);
    expect(ledgerRows(data.dir)).toEqual([
      expect.objectContaining({ invoice_id: 1, customer_id: 2, approver_note: 'mid-crash' }),
      expect.objectContaining({ invoice_id: 98 }),
    ]);
    const customer = new TestClient(host.url);
    customer.cookie = third.client.cookie;
    const view = await waitFor(async () => {
      const body = (await customer.json<{ messages: Array<{ role: string; text: string }> }>(`/api/conversations/${third.conversationId}`)).body;
      return body.messages.length >= 3 ? body : undefined;
    });
    expect(view.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'assistant']);
    expect((await admin(host.url).decide(third.approvalId, 'decline')).status).toBe(409);

    signal(host.pid, 'SIGTERM');
    expect(await host.exited).toBe(0);
    expect(ledgerRows(data.dir)).toHaveLength(2);
  });
});
