import { toInvoiceDetail, type BillingRow, type InvoiceDetail, type LineRow, type SummaryRow } from '../../../tools/get-invoice.ts';
import type { Queryable } from '../transaction.ts';
import { SUMMARY_SELECT } from './list-invoices.ts';

export const GET_OWNED_INVOICE = `${SUMMARY_SELECT},
    i."BillingAddress" AS address, i."BillingCity" AS city, i."BillingState" AS state,
    i."BillingCountry" AS country, i."BillingPostalCode" AS "postalCode"
  FROM "Invoice" i WHERE i."InvoiceId" = $1 AND i."CustomerId" = $2`;

export const GET_INVOICE_LINES = `SELECT t."Name" AS track, COALESCE(al."Title", 'Unknown album') AS album,
    COALESCE(ar."Name", 'Unknown artist') AS artist,
    round(l."UnitPrice" * 100)::integer AS "unitPriceCents", l."Quantity" AS quantity
  FROM "InvoiceLine" l
  JOIN "Track" t ON t."TrackId" = l."TrackId"
  LEFT JOIN "Album" al ON al."AlbumId" = t."AlbumId"
  LEFT JOIN "Artist" ar ON ar."ArtistId" = al."ArtistId"
  WHERE l."InvoiceId" = $1
  ORDER BY l."InvoiceLineId"`;

/** One invoice with its lines, only if it is the customer's (the lines are read once ownership is known). */
export async function getInvoiceDetail(db: Queryable, customerId: number, invoiceId: number): Promise<InvoiceDetail | undefined> {
  const { rows } = await db.query<SummaryRow & BillingRow>(GET_OWNED_INVOICE, [invoiceId, customerId]);
  const row = rows[0];
  if (!row) return undefined;
  const lines = await db.query<LineRow>(GET_INVOICE_LINES, [invoiceId]);
  return toInvoiceDetail(row, row, lines.rows);
}
