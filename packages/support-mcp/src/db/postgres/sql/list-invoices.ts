import { toInvoiceList, type InvoiceList, type SummaryRow } from '../../../tools/get-invoice.ts';
import type { Queryable } from '../transaction.ts';

/** The columns of an invoice summary, shaped like SQLite's (`refunded` 0/1, cents as integers). */
export const SUMMARY_SELECT = `SELECT i."InvoiceId" AS "invoiceId", to_char(i."InvoiceDate", 'YYYY-MM-DD HH24:MI:SS') AS date,
    round(i."Total" * 100)::integer AS "totalCents",
    (SELECT COALESCE(sum(l."Quantity"), 0)::integer FROM "InvoiceLine" l WHERE l."InvoiceId" = i."InvoiceId") AS "itemCount",
    EXISTS (SELECT 1 FROM algorhythm_refunds r WHERE r.invoice_id = i."InvoiceId")::integer AS refunded`;

export const LIST_INVOICES = `${SUMMARY_SELECT}
  FROM "Invoice" i WHERE i."CustomerId" = $1
  ORDER BY i."InvoiceDate" DESC, i."InvoiceId" DESC LIMIT $2`;

export async function listInvoices(db: Queryable, customerId: number, limit: number): Promise<InvoiceList> {
  const { rows } = await db.query<SummaryRow>(LIST_INVOICES, [customerId, limit + 1]);
  return toInvoiceList(rows, limit);
}
