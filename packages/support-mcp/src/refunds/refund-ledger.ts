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

/** A ledger row with the nonce of the approval that wrote it: a replay of that approval is told apart by it. */
export type StoredRefund = Refund & { nonce: string };

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

/** A row of `algorhythm_refunds` (both backends; PostgreSQL's timestamps arrive as Dates). */
export type RefundRow = {
  refund_id: number;
  invoice_id: number;
  amount_cents: number;
  reason: string | null;
  approved_by: string;
  approver_note: string | null;
  approval_nonce: string;
  created_at: string | Date;
};

export const toRefund = (row: RefundRow): Refund => ({
  refundId: row.refund_id,
  invoiceId: row.invoice_id,
  amount: dollars(row.amount_cents),
  reason: row.reason,
  approvedBy: row.approved_by,
  note: row.approver_note,
  createdAt: typeof row.created_at === 'string' ? row.created_at : row.created_at.toISOString(),
});

export const toStoredRefund = (row: RefundRow): StoredRefund => ({ ...toRefund(row), nonce: row.approval_nonce });

/** An existing refund answers a recording: the same approval again is a replay, another one is refused. */
export function classifyExisting(existing: StoredRefund, nonce: string): RecordRefundResult {
  const { nonce: existingNonce, ...refund } = existing;
  return existingNonce === nonce ? { kind: 'replayed', refund } : { kind: 'already_refunded', refund };
}

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

  /** The refund of the customer's invoice; another customer's refunds are not theirs to see. */
  findByInvoice(customerId: number, invoiceId: number): StoredRefund | undefined {
    const row = this.#db.prepare(`SELECT * FROM algorhythm_refunds WHERE invoice_id = ? AND customer_id = ?`).get(invoiceId, customerId) as
      | RefundRow
      | undefined;
    return row ? toStoredRefund(row) : undefined;
  }

  record(input: RecordRefundInput): RecordRefundResult {
    const write = (): RecordRefundResult => {
      const existing = this.findByInvoice(input.customerId, input.invoiceId);
      if (existing) return classifyExisting(existing, input.nonce);
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
      const existing = this.findByInvoice(input.customerId, input.invoiceId);
      return existing && classifyExisting(existing, input.nonce);
    });
  }
}
