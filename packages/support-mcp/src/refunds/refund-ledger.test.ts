import fc from 'fast-check';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openSupportStore } from '../store/open-store.ts';
import type { SupportStore } from '../store/support-store.ts';
import { BACKENDS, useTestBackend, type TestBackend } from '../testing/backend.ts';
import type { RecordRefundInput } from './refund-ledger.ts';

const input = (over: Partial<RecordRefundInput> = {}): RecordRefundInput => ({
  invoiceId: 98,
  customerId: 1,
  amountCents: 398,
  reason: 'scratched',
  approvedBy: 'Ann Admin',
  note: 'ok',
  nonce: 'nonce-0000000000000001',
  requestedAt: '2026-01-02T00:00:00.000Z',
  ...over,
});

describe.each(BACKENDS)('the refund ledger on %s', (kind) => {
  const database = useTestBackend(kind);
  const fixedNow = new Date('2026-01-02T03:04:05.000Z');
  let backend: TestBackend;
  let ledger: SupportStore;
  beforeAll(async () => {
    backend = await database();
    ledger = openSupportStore(backend.open(), () => fixedNow);
  });
  beforeEach(async () => {
    await backend.exec('DELETE FROM algorhythm_refunds');
  });

  it('records a refund with the server-computed amount and the clock time', async () => {
    const result = await ledger.recordRefund(input());
    expect(result).toEqual({
      kind: 'recorded',
      refund: {
        refundId: expect.any(Number),
        invoiceId: 98,
        amount: 3.98,
        reason: 'scratched',
        approvedBy: 'Ann Admin',
        note: 'ok',
        createdAt: fixedNow.toISOString(),
      },
    });
    expect(await backend.readLedger()).toMatchObject([
      { invoice_id: 98, customer_id: 1, amount_cents: 398, approval_nonce: 'nonce-0000000000000001', requested_at: '2026-01-02T00:00:00.000Z' },
    ]);
  });

  it('recognises a replay of the same approval and refuses a second approval for the invoice', async () => {
    const first = await ledger.recordRefund(input());
    expect(await ledger.recordRefund(input())).toEqual({ kind: 'replayed', refund: (first as { refund: unknown }).refund });
    const other = await ledger.recordRefund(input({ nonce: 'nonce-0000000000000002', approvedBy: 'Bob' }));
    expect(other).toMatchObject({ kind: 'already_refunded', refund: { approvedBy: 'Ann Admin' } });
    expect(await backend.readLedger()).toHaveLength(1);
    // The refund is customer 1's: no other customer sees it.
    expect(await ledger.findRefund(16, 98)).toBeUndefined();
    expect(await ledger.findRefund(1, 98)).toMatchObject({ invoiceId: 98, nonce: 'nonce-0000000000000001' });
  });

  it("writes nothing for another customer's invoice or a changed amount", async () => {
    expect(await ledger.recordRefund(input({ customerId: 16 }))).toEqual({ kind: 'not_found' });
    expect(await ledger.recordRefund(input({ invoiceId: 999_999 }))).toEqual({ kind: 'not_found' });
    expect(await ledger.recordRefund(input({ amountCents: 1 }))).toEqual({ kind: 'amount_changed', currentAmountCents: 398 });
    expect(await backend.readLedger()).toEqual([]);
  });

  it('the database itself refuses a second row for an invoice', async () => {
    await ledger.recordRefund(input());
    await expect(
      backend.exec(
        `INSERT INTO algorhythm_refunds (invoice_id, customer_id, amount_cents, approved_by, approval_nonce, requested_at, created_at)
         VALUES (98, 1, 398, 'x', 'another-nonce-000000', 'now', 'now')`,
      ),
    ).rejects.toThrow(/UNIQUE|unique constraint/);
  });

  it('concurrent approvals through separate connections (replicas) write one row: one recorded, replays and refusals', async () => {
    const replicas = [ledger, openSupportStore(backend.open(), () => fixedNow), openSupportStore(backend.open(), () => fixedNow)];
    const attempts = Array.from({ length: 12 }, (_, i) =>
      replicas[i % replicas.length]!.recordRefund(input({ nonce: i % 2 ? 'nonce-0000000000000001' : 'nonce-0000000000000002', approvedBy: `approver ${i % 2}` })),
    );
    const kinds = (await Promise.all(attempts)).map((r) => r.kind);
    expect(kinds.filter((k) => k === 'recorded')).toHaveLength(1);
    expect(new Set(kinds)).toEqual(new Set(['recorded', 'replayed', 'already_refunded']));
    expect(await backend.readLedger()).toHaveLength(1);
  });

  it('property: any sequence of approvals leaves at most one row per invoice, owned by its customer', async () => {
    const owned: Record<number, { customerId: number; cents: number }> = {
      98: { customerId: 1, cents: 398 },
      121: { customerId: 1, cents: 396 },
      99: { customerId: 3, cents: 398 },
    };
    const attempt = fc.record({
      invoiceId: fc.constantFrom(98, 121, 99),
      customerId: fc.constantFrom(1, 3, 16),
      nonce: fc.constantFrom('n-aaaaaaaaaaaaaaaa', 'n-bbbbbbbbbbbbbbbb', 'n-cccccccccccccccc'),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(attempt, { maxLength: 12 }), async (attempts) => {
        await backend.exec('DELETE FROM algorhythm_refunds');
        const used = new Set<string>();
        for (const a of attempts) {
          const nonce = `${a.nonce}-${a.invoiceId}`; // one approval (nonce) belongs to one invoice
          const result = await ledger.recordRefund(input({ ...a, nonce, amountCents: owned[a.invoiceId]!.cents }));
          if (result.kind === 'recorded') used.add(nonce);
        }
        const rows = await backend.readLedger();
        expect(new Set(rows.map((r) => r.invoice_id)).size).toBe(rows.length);
        for (const row of rows) expect(row.customer_id).toBe(owned[row.invoice_id]!.customerId);
        expect(rows.length).toBe(used.size);
      }),
      { numRuns: 60 },
    );
  });
});
