// The databases locked by another connection (another process holding SQLite's write lock for about a
// second) while the host writes: the host's own store during a turn and during an admin decision, and the
// Chinook working copy while the support server writes a refund. Every write waits and then lands whole;
// nothing is half-written, and the host's waits do not stop it from serving other requests. Also: duplicate refund requests for one invoice give one pending approval and
// at most one ledger row.
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHost } from '../compose.ts';
import { admin, makeDataDir, startTestHost, TestClient } from '../testing/host-harness.ts';
import { ledgerRows } from '../testing/ledger.ts';
import { storedRows } from './foreign-data.ts';

const HOLDER = resolve(fileURLToPath(import.meta.url), '../fixtures/hold-write-lock.ts');

let host: RunningHost;
let data: ReturnType<typeof makeDataDir>;

beforeAll(async () => {
  data = makeDataDir();
  host = await startTestHost(data.dir);
});
afterAll(async () => {
  await host?.close();
  data?.remove();
});

/**
 * Holds the write lock on `file` (in the data folder) from another process; resolves once it is held.
 * With `probeUrl`, the holder also asks that URL while it still holds the lock; `output` has the answer.
 */
async function holdWriteLock(file: string, ms: number, probeUrl?: string): Promise<{ released: Promise<void>; output: () => string }> {
  const args = [HOLDER, join(data.dir, file), String(ms), ...(probeUrl ? [probeUrl] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const released = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => (code === 0 && out.includes('released') ? resolve() : reject(new Error(`lock holder exited ${code}: ${out}`))));
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('locked')) resolve();
    });
    released.catch(reject);
  });
  return { released, output: () => out };
}

async function requestRefund(client: TestClient, invoiceId: number, conversationId?: string) {
  const { events, done } = await client.chat(`I want a refund for invoice ${invoiceId} because it was a duplicate`, conversationId);
  return { approval: events.find((e) => e.event === 'approval')?.data, done };
}

describe("the host's store locked by another connection", () => {
  it('during a turn: the turn waits, then stores the question and the answer whole', async () => {
    const client = new TestClient(host.url);
    await client.login(16);
    // Halfway through, while the turn waits for the lock, the holder asks the host for /healthz.
    const lock = await holdWriteLock('agent-host.db', 2_000, `${host.url}/healthz`);
    const { done } = await client.chat('Show me my invoices please');
    await lock.released;
    // The store waits on timers, not in SQLite's busy loop: the host kept answering everyone else meanwhile.
    expect(lock.output()).toMatch(/locked\nprobe answered 200\nreleased/);
    expect(String(done.reply)).toMatch(/invoice/i);
    const view = await client.json<{ messages: Array<{ role: string }> }>(`/api/conversations/${String(done.conversationId)}`);
    expect(view.body.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
  });

  it('during an admin decision: the decision waits, then lands once with its refund', async () => {
    const client = new TestClient(host.url);
    await client.login(1);
    const { approval } = await requestRefund(client, 98);
    const lock = await holdWriteLock('agent-host.db', 1_000);
    const decision = await admin(host.url).decide(String(approval!.id), 'approve');
    await lock.released;
    expect(decision.body).toMatchObject({ status: 'accepted', outcome: expect.stringMatching(/Refund recorded/) });
    expect(ledgerRows(data.dir).filter((r) => r.invoice_id === 98)).toHaveLength(1);
    const stored = storedRows(data.dir).approvals.find((a) => a.id === approval!.id);
    expect(stored).toMatchObject({ status: 'accepted', completed_at: expect.any(String) });
  });
});

describe('the Chinook working copy locked while a refund is written', () => {
  it('the support server waits for the lock and writes the refund exactly once', async () => {
    const client = new TestClient(host.url);
    await client.login(16);
    const { approval } = await requestRefund(client, 374);
    const lock = await holdWriteLock('chinook.db', 1_000);
    const decision = await admin(host.url).decide(String(approval!.id), 'approve', 'locked db');
    await lock.released;
    expect(decision.body).toMatchObject({ status: 'accepted', outcome: expect.stringMatching(/Refund recorded/) });
    expect(ledgerRows(data.dir).filter((r) => r.invoice_id === 374)).toEqual([expect.objectContaining({ approver_note: 'locked db' })]);
  });
});

describe('an approved refund the support server could not write', () => {
  // The same error result comes back when the Chinook copy stays locked past the server's 5 s busy timeout
  // (SQLITE_BUSY, answered as an internal error); a changed invoice total gives it at once.
  it('is recorded as failed, not approved; nothing is written, and the customer can ask again', async () => {
    const client = new TestClient(host.url);
    await client.login(5);
    const { approval, done } = await requestRefund(client, 77);
    const chinook = new Database(join(data.dir, 'chinook.db'));
    chinook.prepare('UPDATE Invoice SET Total = Total + 1 WHERE InvoiceId = 77').run();
    chinook.close();
    const live = await client.follow(String(done.conversationId));
    const decision = await admin(host.url).decide(String(approval!.id), 'approve');
    expect(decision.body).toMatchObject({ status: 'failed', outcome: expect.stringMatching(/changed since the approval/) });
    expect((await live.events).find((e) => e.event === 'done')?.data.reply).toMatch(/didn't work|changed|not/i);
    expect(ledgerRows(data.dir).filter((r) => r.invoice_id === 77)).toEqual([]);
    expect((await admin(host.url).list('accepted')).body.approvals.map((a) => a.id)).not.toContain(approval!.id);
    const again = await requestRefund(client, 77, String(done.conversationId));
    expect(again.approval).toMatchObject({ status: 'pending' });
    expect(again.approval!.id).not.toBe(approval!.id);
  });
});

describe('duplicate refund requests for one invoice', () => {
  it('asked again in the same conversation: the same pending approval', async () => {
    const client = new TestClient(host.url);
    await client.login(2);
    const first = await requestRefund(client, 1);
    const again = await requestRefund(client, 1, String(first.done.conversationId));
    expect(again.approval?.id).toBe(first.approval?.id);
    expect((await admin(host.url).list('pending')).body.approvals.filter((a) => a.tool.arguments.invoice_id === 1)).toHaveLength(1);
  });

  it('asked at once from several conversations: one pending approval, and one row however many are approved', async () => {
    const client = new TestClient(host.url);
    await client.login(4);
    const invoice = 2; // customer 4's
    const attempts = await Promise.all(Array.from({ length: 5 }, () => requestRefund(client, invoice)));
    const ids = new Set(attempts.map((a) => a.approval?.id));
    const pending = (await admin(host.url).list('pending')).body.approvals.filter((a) => a.tool.arguments.invoice_id === invoice);
    const decisions = await Promise.all(pending.map((a) => admin(host.url).decide(String(a.id), 'approve')));
    expect(ledgerRows(data.dir).filter((r) => r.invoice_id === invoice)).toHaveLength(1);
    expect(decisions.filter((d) => /Refund recorded/.test(String(d.body.outcome)))).toHaveLength(1);
    expect([...ids]).toHaveLength(1);
    expect(pending).toHaveLength(1);
  });

  it('asked at once through two host processes sharing the data folder (replicas): one pending approval', async () => {
    const replica = await startTestHost(data.dir);
    try {
      const invoice = 100; // customer 5's
      const clients = await Promise.all(
        [host, replica, host, replica].map(async (h) => {
          const client = new TestClient(h.url);
          await client.login(5);
          return client;
        }),
      );
      const attempts = await Promise.all(clients.map((client) => requestRefund(client, invoice)));
      expect(new Set(attempts.map((a) => a.approval?.id)).size).toBe(1);
      const seenByEach = await Promise.all([host, replica].map((h) => admin(h.url).list('pending')));
      for (const seen of seenByEach) expect(seen.body.approvals.filter((a) => a.tool.arguments.invoice_id === invoice)).toHaveLength(1);
    } finally {
      await replica.close();
    }
  });
});
