import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningHost } from '../compose.ts';
import { loadConfig } from '../config.ts';
import { admin, makeDataDir, startTestHost, TestClient } from '../testing/host-harness.ts';
import { ledgerRows, postgresLedgerRows } from '../testing/ledger.ts';
import { useTestPostgres } from '../testing/postgres.ts';
import { waitFor, waitForReady } from '../testing/wait.ts';

/**
 * Two hosts on one PostgreSQL database, as two replicas behind a balancer: any of them serves any request.
 * They share the data folder only for Chinook's customer directory: the host's own state and the refund ledger
 * of each one's support service are all in PostgreSQL (postgres-support-ledger.test.ts: on two data folders).
 */

const server = useTestPostgres();
let data: { dir: string; remove: () => void };
let a: RunningHost;
let b: RunningHost;
let databaseUrl: string;

beforeAll(async () => {
  const postgres = await server();
  databaseUrl = await postgres.createDatabase();
  data = makeDataDir();
  const env = { DATABASE_URL: databaseUrl, TRACE_STORE: 'off' };
  [a, b] = await Promise.all([startTestHost(data.dir, env), startTestHost(data.dir, env)]);
});

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  data?.remove();
});

type View = { messages: Array<{ role: string; text: string }>; approvals: Array<{ id: string; status: string; completedAt: string | null }> };

it('refuses to start on a shared database without the secrets from the environment, in one line', () => {
  expect(() => loadConfig({ DATABASE_URL: 'postgres://db/host', ADMIN_TOKEN: 'x'.repeat(16) })).toThrow(
    /^SESSION_SECRET must be set when DATABASE_URL is set \(all replicas share them; none is generated per host\)\.$/,
  );
  expect(() => loadConfig({ DATABASE_URL: 'postgres://db/host' })).toThrow(/^SESSION_SECRET and ADMIN_TOKEN must be set/);
  expect(() => loadConfig({ DATABASE_URL: 'mysql://db/host' })).toThrow(/DATABASE_URL must be a postgres:\/\/ URL/);
});

it('keeps nothing of the host in the data folder, and reports the database as ready', async () => {
  expect(existsSync(join(data.dir, 'agent-host.db'))).toBe(false);
  expect(existsSync(join(data.dir, 'host-secrets.json'))).toBe(false);
  for (const host of [a, b]) expect(await waitForReady(host.url)).toMatchObject({ database: 'ok', events: 'ok' });
});

it('a customer signed in on A continues on B; an approval asked on A is decided on B exactly once', async () => {
  const onA = new TestClient(a.url);
  await onA.login(1);
  const asked = await onA.chat('I want a refund for invoice 98 because it was a duplicate');
  const conversationId = String(asked.done.conversationId);
  const approval = asked.events.find((e) => e.event === 'approval')?.data;
  expect(approval).toMatchObject({ status: 'pending', title: 'Refund of invoice 98 ($3.98)' });

  // The same browser, its request now balanced to B: the cookie A set is valid there.
  const onB = new TestClient(b.url);
  onB.cookie = onA.cookie;
  expect((await onB.json('/api/session')).body).toMatchObject({ customer: { name: 'Luís Gonçalves' } });
  const continued = await onB.chat('Show me albums by AC/DC', conversationId);
  expect(String(continued.done.conversationId)).toBe(conversationId);
  expect(String(continued.done.reply)).toMatch(/AC\/DC/);

  // B's admin queue lists what A asked; B decides; a second decision on A is refused.
  expect((await admin(b.url).list('pending')).body.approvals.map((x) => x.id)).toEqual([approval!.id]);
  const [onBDecision, onADecision] = [
    await admin(b.url).decide(String(approval!.id), 'approve', 'duplicate charge'),
    await admin(a.url).decide(String(approval!.id), 'approve'),
  ];
  expect(onBDecision.status).toBe(200);
  expect(onBDecision.body).toMatchObject({ status: 'accepted', answer: { action: 'accept', content: { approve: true, note: 'duplicate charge' } } });
  expect(onADecision.status).toBe(409);
  expect((await admin(a.url).decide(String(approval!.id), 'decline')).status).toBe(409);
  expect(await postgresLedgerRows(databaseUrl)).toEqual([
    expect.objectContaining({ invoice_id: 98, customer_id: 1, amount_cents: 398, approver_note: 'duplicate charge' }),
  ]);
  expect(ledgerRows(data.dir)).toEqual([]);

  // A shows the whole conversation: its own turn, B's turn, and the answer B finished after the decision.
  const view = await waitFor(async () => {
    const { body } = await onA.json<View>(`/api/conversations/${conversationId}`);
    return body.approvals[0]?.completedAt ? body : undefined;
  });
  expect(view.approvals).toEqual([expect.objectContaining({ id: approval!.id, status: 'accepted' })]);
  const texts = view.messages.map((m) => `${m.role}: ${m.text}`);
  expect(texts[0]).toMatch(/^user: I want a refund for invoice 98/);
  expect(texts).toContainEqual(expect.stringMatching(/^user: Show me albums by AC\/DC/));
  expect(view.messages.at(-1)).toMatchObject({ role: 'assistant', text: expect.stringMatching(/approved/) });
  expect((await onB.json<{ conversations: Array<{ id: string }> }>('/api/conversations')).body.conversations.map((c) => c.id)).toEqual([conversationId]);
});
