import fc from 'fast-check';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openSupportDb } from '../db/open-db.ts';
import { makeTempDb, readLedger } from '../testing/temp-db.ts';
import { RefundLedger, type RecordRefundInput } from './refund-ledger.ts';

const temp = makeTempDb();
const db = openSupportDb(temp.path);
const fixedNow = new Date('2026-01-02T03:04:05.000Z');
const ledger = new RefundLedger(db, () => fixedNow);
afterAll(() => {
  db.close();
  temp.cleanup();
});
beforeEach(() => {
  db.exec('DELETE FROM algorhythm_refunds');
});

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

describe('RefundLedger', () => {
  it('records a refund with the server-computed amount and the clock time', () => {
    const result = ledger.record(input());
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
    expect(readLedger(temp.path)).toMatchObject([
      { invoice_id: 98, customer_id: 1, amount_cents: 398, approval_nonce: 'nonce-0000000000000001' },
    ]);
  });

  it('recognises a replay of the same approval and refuses a second approval for the invoice', () => {
    const first = ledger.record(input());
    expect(ledger.record(input())).toEqual({ kind: 'replayed', refund: (first as { refund: unknown }).refund });
    const other = ledger.record(input({ nonce: 'nonce-0000000000000002', approvedBy: 'Bob' }));
    expect(other).toMatchObject({ kind: 'already_refunded', refund: { approvedBy: 'Ann Admin' } });
    expect(readLedger(temp.path)).toHaveLength(1);
  });

  it("writes nothing for another customer's invoice or a changed amount", () => {
    expect(ledger.record(input({ customerId: 16 }))).toEqual({ kind: 'not_found' });
    expect(ledger.record(input({ invoiceId: 999_999 }))).toEqual({ kind: 'not_found' });
    expect(ledger.record(input({ amountCents: 1 }))).toEqual({ kind: 'amount_changed', currentAmountCents: 398 });
    expect(readLedger(temp.path)).toEqual([]);
  });

  it('the database itself refuses a second row for an invoice', () => {
    ledger.record(input());
    expect(() =>
      db
        .prepare(
          `INSERT INTO algorhythm_refunds (invoice_id, customer_id, amount_cents, approved_by, approval_nonce, requested_at, created_at)
           VALUES (98, 1, 398, 'x', 'another-nonce-000000', 'now', 'now')`,
        )
        .run(),
    ).toThrow(/UNIQUE/);
  });

  it('property: any sequence of approvals leaves at most one row per invoice, owned by its customer', () => {
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
    fc.assert(
      fc.property(fc.array(attempt, { maxLength: 12 }), (attempts) => {
        db.exec('DELETE FROM algorhythm_refunds');
        const used = new Set<string>();
        for (const a of attempts) {
          const nonce = `${a.nonce}-${a.invoiceId}`; // one approval (nonce) belongs to one invoice
          const result = ledger.record(input({ ...a, nonce, amountCents: owned[a.invoiceId]!.cents }));
          if (result.kind === 'recorded') used.add(nonce);
        }
        const rows = readLedger(temp.path);
        expect(new Set(rows.map((r) => r.invoice_id)).size).toBe(rows.length);
        for (const row of rows) expect(row.customer_id).toBe(owned[row.invoice_id]!.customerId);
        expect(rows.length).toBe(used.size);
      }),
      { numRuns: 60 },
    );
  });
});
