import type pg from 'pg';
import { classifyExisting, toRefund, type RecordRefundInput, type RecordRefundResult, type RefundRow } from '../../../refunds/refund-ledger.ts';
import { isUniqueViolation, withTransaction } from '../transaction.ts';
import { findOwnedInvoice } from './find-owned-invoice.ts';
import { findRefund } from './find-refund.ts';

/**
 * The refund in one statement: only for the customer's own invoice, only at the total the approver saw, with the
 * amount read from the invoice (never from the caller), and only if the invoice has no refund: the UNIQUE
 * invoice_id is the arbiter, so of two replicas approving at once the second waits for the first's commit and
 * inserts nothing.
 */
export const INSERT_REFUND = `INSERT INTO algorhythm_refunds
    (invoice_id, customer_id, amount_cents, reason, approved_by, approver_note, approval_nonce, requested_at, created_at)
  SELECT i."InvoiceId", i."CustomerId", round(i."Total" * 100)::integer, $4, $5, $6, $7, $8, $9
    FROM "Invoice" i
   WHERE i."InvoiceId" = $1 AND i."CustomerId" = $2 AND round(i."Total" * 100)::integer = $3
  ON CONFLICT (invoice_id) DO NOTHING
  RETURNING *`;

/**
 * Records an approved refund, once. When the insert wrote nothing, the reads after it (each its own snapshot under
 * READ COMMITTED, so they see a concurrent winner's commit) say why: this approval's refund (a replay), another
 * approval's, not this customer's invoice, or a changed total.
 */
export async function recordRefund(pool: pg.Pool, input: RecordRefundInput, createdAt: Date): Promise<RecordRefundResult> {
  try {
    return await withTransaction(pool, async (client) => {
      const { rows } = await client.query<RefundRow>(INSERT_REFUND, [
        input.invoiceId,
        input.customerId,
        input.amountCents,
        input.reason,
        input.approvedBy,
        input.note,
        input.nonce,
        input.requestedAt,
        createdAt.toISOString(),
      ]);
      if (rows[0]) return { kind: 'recorded', refund: toRefund(rows[0]) };
      return whyNothing(client, input);
    });
  } catch (error) {
    // The approval's nonce is UNIQUE too: a race on it (not the arbiter) ends here, answered from the stored row.
    if (!isUniqueViolation(error)) throw error;
    const existing = await findRefund(pool, input.customerId, input.invoiceId);
    if (existing) return classifyExisting(existing, input.nonce);
    throw error;
  }
}

async function whyNothing(client: pg.ClientBase, input: RecordRefundInput): Promise<RecordRefundResult> {
  const existing = await findRefund(client, input.customerId, input.invoiceId);
  if (existing) return classifyExisting(existing, input.nonce);
  const invoice = await findOwnedInvoice(client, input.customerId, input.invoiceId);
  if (!invoice) return { kind: 'not_found' };
  if (invoice.totalCents !== input.amountCents) return { kind: 'amount_changed', currentAmountCents: invoice.totalCents };
  throw new Error(`refund of invoice ${input.invoiceId} was neither written nor found`);
}
