import { isoDate, type OwnedInvoice } from '../../../customers/customer-lookup.ts';
import type { Queryable } from '../transaction.ts';

/** The invoice only with its owner's id in the WHERE clause: another customer's is no row, like a missing one. */
export const FIND_OWNED_INVOICE = `SELECT "InvoiceId" AS "invoiceId", "CustomerId" AS "customerId",
    to_char("InvoiceDate", 'YYYY-MM-DD') AS date, round("Total" * 100)::integer AS "totalCents"
  FROM "Invoice" WHERE "InvoiceId" = $1 AND "CustomerId" = $2`;

export async function findOwnedInvoice(db: Queryable, customerId: number, invoiceId: number): Promise<OwnedInvoice | undefined> {
  const { rows } = await db.query<OwnedInvoice>(FIND_OWNED_INVOICE, [invoiceId, customerId]);
  return rows[0] && { ...rows[0], date: isoDate(rows[0].date) };
}
