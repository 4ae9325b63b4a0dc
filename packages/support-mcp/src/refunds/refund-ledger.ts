import type { SupportDb } from '../db/open-db.ts';
import { writeOnce, type ApprovalRecordFields } from '../db/write-once.ts';
import { dollars, findOwnedInvoice } from '../customers/customer-lookup.ts';

/** A ledger row as the contract's `Refund` (amount in dollars, ISO timestamps). */
export type Refund = {
  refundId: number;
  invoiceId: number;
  amount: number;
  reason: string | null;
  approvedBy: string;
  note: string | null;
  createdAt: string;
};

export type RecordRefundInput = ApprovalRecordFields & {
  invoiceId: number;
  customerId: number;
  /** The amount the approver was shown (from the sealed state); the write re-reads the invoice. */
  amountCents: number;
};

export type RecordRefundResult =
  | { kind: 'recorded'; refund: Refund }
  /** The same approval arrived again (a client retrying after a lost answer): nothing new written. */
  | { kind: 'replayed'; refund: Refund }
  /** The invoice was refunded through another approval. */
  | { kind: 'already_refunded'; refund: Refund }
  | { kind: 'not_found' }
  | { kind: 'amount_changed'; currentAmountCents: number };

type RefundRow = {
  refund_id: number;
  invoice_id: number;
  amount_cents: number;
  reason: string | null;
  approved_by: string;
  approver_note: string | null;
  approval_nonce: string;
  created_at: string;
};

const toRefund = (row: RefundRow): Refund => ({
  refundId: row.refund_id,
  invoiceId: row.invoice_id,
  amount: dollars(row.amount_cents),
  reason: row.reason,
  approvedBy: row.approved_by,
  note: row.approver_note,
  createdAt: row.created_at,
});

/**
 * The refund ledger (`algorhythm_refunds`). At most one refund per invoice is enforced by the UNIQUE
 * constraint; `record` does its checks and the insert in one IMMEDIATE transaction, so concurrent
 * approvals (in this process or another one on the same file) serialize on SQLite's write lock.
 */
export class RefundLedger {
  readonly #db: SupportDb;
  readonly #clock: () => Date;

  constructor(db: SupportDb, clock: () => Date = () => new Date()) {
    this.#db = db;
    this.#clock = clock;
  }

  findByInvoice(invoiceId: number): (Refund & { nonce: string }) | undefined {
    const row = this.#db.prepare(`SELECT * FROM algorhythm_refunds WHERE invoice_id = ?`).get(invoiceId) as
      | RefundRow
      | undefined;
    return row ? { ...toRefund(row), nonce: row.approval_nonce } : undefined;
  }

  record(input: RecordRefundInput): RecordRefundResult {
    const write = (): RecordRefundResult => {
      const existing = this.findByInvoice(input.invoiceId);
      if (existing) return this.#classifyExisting(existing, input.nonce);
      const invoice = findOwnedInvoice(this.#db, input.customerId, input.invoiceId);
      if (!invoice) return { kind: 'not_found' };
      if (invoice.totalCents !== input.amountCents) {
        return { kind: 'amount_changed', currentAmountCents: invoice.totalCents };
      }
      const row = this.#db
        .prepare(
          `INSERT INTO algorhythm_refunds
             (invoice_id, customer_id, amount_cents, reason, approved_by, approver_note, approval_nonce,
              requested_at, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
        )
        .get(input.invoiceId, input.customerId, invoice.totalCents, input.reason, input.approvedBy, input.note, input.nonce, input.requestedAt, this.#clock().toISOString()) as RefundRow;
      return { kind: 'recorded', refund: toRefund(row) };
    };
    return writeOnce(this.#db, write, () => {
      const existing = this.findByInvoice(input.invoiceId);
      return existing && this.#classifyExisting(existing, input.nonce);
    });
  }

  #classifyExisting(existing: Refund & { nonce: string }, nonce: string): RecordRefundResult {
    const { nonce: existingNonce, ...refund } = existing;
    return existingNonce === nonce ? { kind: 'replayed', refund } : { kind: 'already_refunded', refund };
  }
}
