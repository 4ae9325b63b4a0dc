import { toStoredRefund, type RefundRow, type StoredRefund } from '../../../refunds/refund-ledger.ts';
import type { Queryable } from '../transaction.ts';

export const FIND_REFUND = 'SELECT * FROM algorhythm_refunds WHERE invoice_id = $1 AND customer_id = $2';

export async function findRefund(db: Queryable, customerId: number, invoiceId: number): Promise<StoredRefund | undefined> {
  const { rows } = await db.query<RefundRow>(FIND_REFUND, [invoiceId, customerId]);
  return rows[0] && toStoredRefund(rows[0]);
}
