// Two support service processes over HTTP on one PostgreSQL database (what the host's replicas share): an approval
// asked through one replica and answered through the other is written once, whichever replica answers, however often.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintCustomerToken } from './auth/customer-token.ts';
import { useTestBackend, type TestBackend } from './testing/backend.ts';
import { callManual, connectHttp } from './testing/clients.ts';
import { confirm, emailOutcomeOf, secondEmailRound, firstEmailRound } from './testing/email-flow.ts';
import { spawnHttpServer, TEST_TOKEN_SECRET, type SpawnedHttpServer } from './testing/http-server.ts';
import { firstRound, outcomeOf, secondRound } from './testing/refund-flow.ts';

type Connection = Awaited<ReturnType<typeof connectHttp>>;
const approve = { action: 'accept' as const, content: { approve: true } };

const database = useTestBackend('postgres');
let backend: TestBackend;
let a: SpawnedHttpServer;
let b: SpawnedHttpServer;
let viaA: Connection;
let viaB: Connection;

beforeAll(async () => {
  backend = await database();
  const spawn = () => spawnHttpServer({ database: backend.args, env: backend.env });
  [a, b] = await Promise.all([spawn(), spawn()]);
  const token = await mintCustomerToken({ customerId: 1, secret: TEST_TOKEN_SECRET, ttlSeconds: 600 });
  [viaA, viaB] = await Promise.all([connectHttp({ url: a.url, token, era: 'modern' }), connectHttp({ url: b.url, token, era: 'modern' })]);
});
afterAll(async () => {
  await Promise.all([viaA?.close(), viaB?.close()]);
  await Promise.all([a?.stop(), b?.stop()]);
});

describe('support replicas on one PostgreSQL database', () => {
  it('are two processes on the same database', () => {
    expect(a.url).not.toBe(b.url);
    expect(a.stderr()).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+\/mcp \(postgres 127\.0\.0\.1:\d+\)/);
  });

  it('a refund asked through A and approved through B is written once; a replay through A returns the same refund', async () => {
    const asked = await firstRound(viaA.client, 98, 'asked on A');
    expect(await backend.readLedger(98)).toEqual([]);
    const done = outcomeOf(await secondRound(viaB.client, 98, asked.requestState, approve, 'asked on A', 'Bea on B'));
    expect(done).toMatchObject({ status: 'refunded', invoiceId: 98, amount: 3.98, refund: { approvedBy: 'Bea on B', reason: 'asked on A' } });
    const replay = outcomeOf(await secondRound(viaA.client, 98, asked.requestState, approve, 'asked on A', 'Bea on B'));
    expect(replay).toMatchObject({ status: 'refunded', refund: done.refund });
    expect(replay.message).toContain('by this same approval earlier');
    // Asking again for the refunded invoice, on either replica, is already_refunded at once, with the same record.
    for (const via of [viaA, viaB]) {
      expect(outcomeOf(await callManual(via.client, 'process_refund', { invoice_id: 98 }))).toMatchObject({ status: 'already_refunded', refund: done.refund });
    }
    expect(await backend.readLedger(98)).toMatchObject([{ invoice_id: 98, customer_id: 1, amount_cents: 398, approved_by: 'Bea on B' }]);
  });

  it('the same approval answered through both replicas at once writes one row, and both answers carry it', async () => {
    const asked = await firstRound(viaA.client, 143);
    const [onA, onB] = await Promise.all([
      secondRound(viaA.client, 143, asked.requestState, approve, undefined, 'Ann'),
      secondRound(viaB.client, 143, asked.requestState, approve, undefined, 'Ann'),
    ]);
    expect(outcomeOf(onA)).toMatchObject({ status: 'refunded' });
    expect(outcomeOf(onB)).toMatchObject({ status: 'refunded', refund: outcomeOf(onA).refund });
    expect(await backend.readLedger(143)).toHaveLength(1);
  });

  it('two approvals of one invoice answered at once through A and B: one refund, the other already_refunded', async () => {
    const first = await firstRound(viaA.client, 195);
    const second = await firstRound(viaB.client, 195);
    const results = await Promise.all([
      secondRound(viaA.client, 195, second.requestState, approve, undefined, 'Bob'),
      secondRound(viaB.client, 195, first.requestState, approve, undefined, 'Ann'),
    ]);
    expect(results.map((r) => outcomeOf(r).status).sort()).toEqual(['already_refunded', 'refunded']);
    expect(await backend.readLedger(195)).toMatchObject([{ invoice_id: 195, amount_cents: 99 }]);
  });

  it('many concurrent approvals across both replicas still write one row per invoice', async () => {
    const rounds = await Promise.all(Array.from({ length: 6 }, (_, i) => firstRound((i % 2 ? viaA : viaB).client, 316)));
    const results = await Promise.all(
      rounds.map((round, i) => secondRound((i % 2 ? viaB : viaA).client, 316, round.requestState, approve, undefined, `approver ${i}`)),
    );
    expect(results.map((r) => outcomeOf(r).status).sort()).toEqual(['already_refunded', 'already_refunded', 'already_refunded', 'already_refunded', 'already_refunded', 'refunded']);
    expect(await backend.readLedger(316)).toHaveLength(1);
  });

  it('an email change asked through A and confirmed through both at once changes the email once', async () => {
    const asked = await firstEmailRound(viaA.client, 'luis.replicas@example.com');
    const round = { newEmail: 'luis.replicas@example.com', requestState: asked.requestState, answer: confirm(), approver: 'Ann' };
    const [onA, onB] = await Promise.all([secondEmailRound(viaA.client, round), secondEmailRound(viaB.client, round)]);
    expect([emailOutcomeOf(onA).status, emailOutcomeOf(onB).status]).toEqual(['changed', 'changed']);
    expect(emailOutcomeOf(onA).change).toEqual(emailOutcomeOf(onB).change);
    expect(await backend.readEmail(1)).toBe('luis.replicas@example.com');
    expect(await backend.readEmailChanges(1)).toMatchObject([{ old_email: 'luisg@embraer.com.br', new_email: 'luis.replicas@example.com', approved_by: 'Ann' }]);
  });
});
