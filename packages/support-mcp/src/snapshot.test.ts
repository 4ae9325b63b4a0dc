// The server started from its startup snapshot (what the host runs after `pnpm build`), built here into a
// temporary directory: scoping, a refund approved across two processes, and the ledger, over stdio.
import { afterAll, describe, expect, it } from 'vitest';
import { useBuiltSnapshot } from '@algorhythm/startup-snapshot/testing';
import { SUPPORT_SNAPSHOT } from './launch.ts';
import { callManual, connectStdio, textOf } from './testing/clients.ts';
import { errorTextOf, firstRound, outcomeOf, secondRound } from './testing/refund-flow.ts';
import { useTestBackend } from './testing/backend.ts';
import { makeTempDb, readLedger } from './testing/temp-db.ts';

const nodeArgs = useBuiltSnapshot(SUPPORT_SNAPSHOT);
const temp = makeTempDb();
afterAll(() => temp.cleanup());
const postgres = useTestBackend('postgres');

const connect = (customerId: number, era: 'modern' | 'legacy' = 'modern') =>
  connectStdio({ dbPath: temp.path, customerId, era, nodeArgs: nodeArgs() });

describe('support server from its startup snapshot', () => {
  it('binds the customer from its own arguments: 1 sees invoice 98, 16 gets "not found"', async () => {
    const [c1, c16] = await Promise.all([connect(1), connect(16, 'legacy')]);
    try {
      const mine = await c1.client.callTool({ name: 'get_invoice', arguments: { invoice_id: 98 } });
      expect(mine.structuredContent).toMatchObject({ invoice: { invoiceId: 98, total: 3.98 } });
      const theirs = await c16.client.callTool({ name: 'get_invoice', arguments: { invoice_id: 98 } });
      expect(textOf(theirs as never)).toBe('Invoice 98 was not found on your account.');
      const profile = await c16.client.callTool({ name: 'get_customer_profile', arguments: {} });
      expect(profile.structuredContent).toMatchObject({ firstName: 'Frank', lastName: 'Harris' });
      expect(errorTextOf(await callManual(c16.client, 'process_refund', { invoice_id: 98 }))).toBe('Invoice 98 was not found on your account.');
      expect(c1.stderr()).toMatch(/^algorhythm-support-mcp: serving customer 1 on stdio/);
    } finally {
      await Promise.all([c1.close(), c16.close()]);
    }
  });

  it('asks for approval in one process and records the refund once in the next', async () => {
    const asking = await connect(1);
    const { requestState } = await firstRound(asking.client, 98, 'charged twice');
    await asking.close();
    expect(readLedger(temp.path)).toEqual([]);

    const deciding = await connect(1);
    try {
      const approve = { action: 'accept' as const, content: { approve: true } };
      const done = outcomeOf(await secondRound(deciding.client, 98, requestState, approve, 'charged twice', 'Ann Admin'));
      expect(done).toMatchObject({ status: 'refunded', invoiceId: 98, amount: 3.98 });
      // A replay of the approved round returns the same refund, and writes nothing more.
      expect(outcomeOf(await secondRound(deciding.client, 98, requestState, approve, 'charged twice', 'Ann Admin'))).toMatchObject({ status: 'refunded', refund: done.refund });
    } finally {
      await deciding.close();
    }
    expect(readLedger(temp.path)).toEqual([expect.objectContaining({ invoice_id: 98, customer_id: 1, amount_cents: 398, approved_by: 'Ann Admin' })]);
  });

  it('serves from PostgreSQL too: pg is loaded on first use, never while the snapshot was built', async () => {
    const backend = await postgres();
    const c1 = await connectStdio({ database: backend.args, env: backend.env, customerId: 1, era: 'modern', nodeArgs: nodeArgs() });
    try {
      const mine = await c1.client.callTool({ name: 'get_invoice', arguments: { invoice_id: 121 } });
      expect(mine.structuredContent).toMatchObject({ invoice: { invoiceId: 121, total: 3.96 } });
      const { requestState } = await firstRound(c1.client, 121);
      expect(outcomeOf(await secondRound(c1.client, 121, requestState, { action: 'accept', content: { approve: true } }))).toMatchObject({ status: 'refunded', amount: 3.96 });
      expect(c1.stderr()).toMatch(/serving customer 1 on stdio \(postgres 127\.0\.0\.1:\d+\)/);
    } finally {
      await c1.close();
    }
    expect(await backend.readLedger(121)).toMatchObject([{ customer_id: 1, amount_cents: 396 }]);
  });
});
