import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningHost } from '../compose.ts';
import { makeDataDir, startTestHost, TestClient } from '../testing/host-harness.ts';
import { ledgerRows, postgresLedgerRows } from '../testing/ledger.ts';
import { useTestPostgres } from '../testing/postgres.ts';
import { waitFor } from '../testing/wait.ts';

/**
 * The per-conversation turn lock across replicas (a PostgreSQL advisory lock): two messages for one
 * conversation sent to two replicas at once are answered one after the other; and a decision whose tool call a
 * crash interrupted, recovered by two replicas starting at the same moment, reaches the server once.
 */

const server = useTestPostgres();
let data: { dir: string; remove: () => void };
let databaseUrl: string;
let env: Record<string, string>;
let hosts: RunningHost[] = [];
let db: pg.Pool;

beforeAll(async () => {
  databaseUrl = await (await server()).createDatabase();
  data = makeDataDir();
  env = { DATABASE_URL: databaseUrl, TRACE_STORE: 'off' };
  hosts = await Promise.all([startTestHost(data.dir, env), startTestHost(data.dir, env)]);
  db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  // The test server stops after this file; an idle connection it terminates must not be an uncaught error.
  db.on('error', () => {});
});
afterAll(async () => {
  await Promise.all(hosts.map((host) => host.close()));
  await db?.end();
  data?.remove();
});

type View = { messages: Array<{ role: string; text: string }>; approvals: Array<{ id: string; status: string; completedAt: string | null }> };

it('serializes two messages of one conversation sent to two replicas at the same moment', async () => {
  const [a, b] = hosts as [RunningHost, RunningHost];
  const onA = new TestClient(a.url);
  await onA.login(1);
  const first = await onA.chat('Show me albums by AC/DC');
  const conversationId = String(first.done.conversationId);
  const onB = new TestClient(b.url);
  onB.cookie = onA.cookie;

  const [x, y] = await Promise.all([onA.chat('Show me albums by Aerosmith', conversationId), onB.chat('Show me albums by Queen', conversationId)]);
  expect(String(x.done.reply)).toMatch(/Aerosmith/);
  expect(String(y.done.reply)).toMatch(/Queen/);
  const { body } = await onA.json<View>(`/api/conversations/${conversationId}`);
  // Each question directly followed by its own answer: the turns did not interleave.
  const turns = body.messages.filter((m) => m.role === 'user' || m.role === 'assistant').map((m) => `${m.role}: ${m.text}`);
  expect(turns).toHaveLength(6);
  for (let i = 2; i < 6; i += 2) {
    const artist = /albums by (\w+)/.exec(turns[i]!)![1]!;
    expect(turns[i]).toMatch(/^user: /);
    expect(turns[i + 1]).toMatch(new RegExp(`^assistant: .*${artist}`, 's'));
  }
});

it('a decision interrupted by a crash is finished by one of two replicas starting at once: one tool call, one reply', async () => {
  const [a] = hosts as [RunningHost];
  const customer = new TestClient(a.url);
  await customer.login(2);
  const asked = await customer.chat('I want a refund for invoice 293 because it was a duplicate');
  const approvalId = String(asked.events.find((e) => e.event === 'approval')!.data['id']);
  const conversationId = String(asked.done.conversationId);

  // The admin's claim was stored, then the replica died before the tool call: what `decide` leaves behind.
  const claimed = await db.query(
    `UPDATE approval SET status = 'accepted', decided_at = now(), decided_by = 'admin', answer = $2::jsonb
     WHERE id = $1 AND status = 'pending'`,
    [approvalId, JSON.stringify({ action: 'accept', content: { approve: true, note: 'recovered' } })],
  );
  expect(claimed.rowCount).toBe(1);

  // Two replicas start together; each one's recovery finds the same unfinished approval.
  const started = await Promise.all([startTestHost(data.dir, env), startTestHost(data.dir, env)]);
  hosts.push(...started);
  const view = await waitFor(async () => {
    const { body } = await customer.json<View>(`/api/conversations/${conversationId}`);
    // (messages and approvals are two reads: wait for both to show the finished turn)
    return body.approvals[0]?.completedAt && /approved/i.test(body.messages.at(-1)?.text ?? '') ? body : undefined;
  });
  await new Promise((resolve) => setTimeout(resolve, 1_000)); // the other replica's recovery has its turn now
  const after = (await customer.json<View>(`/api/conversations/${conversationId}`)).body;
  expect(after).toEqual(view);
  expect(view.approvals).toEqual([expect.objectContaining({ id: approvalId, status: 'accepted' })]);
  // The support services keep the ledger in the replicas' PostgreSQL database, none in the data folder.
  expect(await postgresLedgerRows(databaseUrl)).toEqual([expect.objectContaining({ invoice_id: 293, customer_id: 2, approver_note: 'recovered' })]);
  expect(ledgerRows(data.dir)).toEqual([]);
  const replies = view.messages.filter((m) => m.role === 'assistant' && /approved/i.test(m.text));
  expect(replies).toHaveLength(1);
  const { rows } = await db.query(`SELECT seq, content::text AS c FROM message WHERE conversation_id = $1 AND role = 'tool' ORDER BY seq`, [conversationId]);
  expect(rows.filter((row: { c: string }) => row.c.includes('Refund recorded'))).toHaveLength(1);
});
