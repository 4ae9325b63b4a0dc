import type { McpServer } from '@modelcontextprotocol/server';
import { defineTool, okResult } from '@algorhythm/mcp-kit/tools';
import { z } from 'zod';
import { requireCustomer } from '../customers/customer-binding.ts';
import { dollars, isoDate } from '../customers/customer-lookup.ts';
import type { SupportDb } from '../db/open-db.ts';
import { statement } from '../db/statements.ts';
import type { ToolDeps } from './deps.ts';
import { invoiceIdSchema, invoiceNotFound } from './invoice-id.ts';

export const LIST_LIMIT = 20;

export const GetInvoiceInput = z
  .object({
    invoice_id: invoiceIdSchema()
      .optional()
      .describe('Invoice number to show with its lines. Omit it to list your most recent invoices.'),
  })
  .strict();

export const InvoiceSummary = z.object({
  invoiceId: z.number().int().describe('Invoice number'),
  date: z.string().describe('Invoice date, ISO 8601 (YYYY-MM-DD)'),
  total: z.number().describe('Total in US dollars'),
  itemCount: z.number().int().describe('Number of tracks bought'),
  refunded: z.boolean().describe('Whether this invoice has been refunded'),
});
export type InvoiceSummary = z.infer<typeof InvoiceSummary>;

export const InvoiceLine = z.object({
  track: z.string(),
  album: z.string(),
  artist: z.string(),
  unitPrice: z.number().describe('US dollars'),
  quantity: z.number().int(),
});

export const InvoiceDetail = InvoiceSummary.extend({
  billingAddress: z.string().describe('Billing address on the invoice'),
  lines: z.array(InvoiceLine),
});
export type InvoiceDetail = z.infer<typeof InvoiceDetail>;

// One object schema with optional members rather than a union: an output schema whose root is not
// `type: object` makes the SDK wrap structuredContent as `{result: ...}` for 2025-era clients.
export const GetInvoiceOutput = z.object({
  invoices: z.array(InvoiceSummary).optional().describe('Listing mode: most recent first'),
  truncated: z.boolean().optional().describe('Listing mode: more invoices exist than were returned'),
  invoice: InvoiceDetail.optional().describe('Single-invoice mode'),
});

export type InvoiceList = { invoices: InvoiceSummary[]; truncated: boolean };

/** What both backends' invoice queries return: Chinook's date text, cents, `refunded` as 0/1. */
export type SummaryRow = { invoiceId: number; date: string; totalCents: number; itemCount: number; refunded: number };
export type BillingRow = { address: string | null; city: string | null; state: string | null; country: string | null; postalCode: string | null };
export type LineRow = { track: string; album: string; artist: string; unitPriceCents: number; quantity: number };

const SUMMARY_SELECT = `
  SELECT i.InvoiceId AS invoiceId, i.InvoiceDate AS date, CAST(ROUND(i.Total * 100) AS INTEGER) AS totalCents,
         (SELECT COALESCE(SUM(l.Quantity), 0) FROM InvoiceLine l WHERE l.InvoiceId = i.InvoiceId) AS itemCount,
         EXISTS (SELECT 1 FROM algorhythm_refunds r WHERE r.invoice_id = i.InvoiceId) AS refunded
    FROM Invoice i`;

export const toSummary = (row: SummaryRow): InvoiceSummary => ({
  invoiceId: row.invoiceId,
  date: isoDate(row.date),
  total: dollars(row.totalCents),
  itemCount: row.itemCount,
  refunded: row.refunded === 1,
});

/** `limit + 1` rows asked for: the extra one only says there are more. */
export const toInvoiceList = (rows: SummaryRow[], limit: number): InvoiceList => ({
  invoices: rows.slice(0, limit).map(toSummary),
  truncated: rows.length > limit,
});

export const toInvoiceDetail = (row: SummaryRow, billing: BillingRow, lines: LineRow[]): InvoiceDetail => ({
  ...toSummary(row),
  billingAddress: [billing.address, billing.city, billing.state, billing.country, billing.postalCode]
    .filter((part): part is string => Boolean(part))
    .join(', '),
  lines: lines.map(({ unitPriceCents, ...line }) => ({ ...line, unitPrice: dollars(unitPriceCents) })),
});

/** SQLite: the customer's invoices, most recent first (the PostgreSQL twin: db/postgres/sql/list-invoices.ts). */
export function listInvoices(db: SupportDb, customerId: number, limit = LIST_LIMIT): InvoiceList {
  const rows = statement(db, `${SUMMARY_SELECT} WHERE i.CustomerId = ? ORDER BY i.InvoiceDate DESC, i.InvoiceId DESC LIMIT ?`).all(customerId, limit + 1) as SummaryRow[];
  return toInvoiceList(rows, limit);
}

/** SQLite: one invoice with its lines, only if it belongs to the customer (otherwise `undefined`, like a missing one). */
export function getInvoiceDetail(db: SupportDb, customerId: number, invoiceId: number): InvoiceDetail | undefined {
  const row = statement(db, `${SUMMARY_SELECT} WHERE i.InvoiceId = ? AND i.CustomerId = ?`).get(invoiceId, customerId) as
    | SummaryRow
    | undefined;
  if (!row) return undefined;
  const billing = statement(
    db,
    `SELECT BillingAddress AS address, BillingCity AS city, BillingState AS state,
              BillingCountry AS country, BillingPostalCode AS postalCode
         FROM Invoice WHERE InvoiceId = ?`,
  ).get(invoiceId) as BillingRow;
  const lines = statement(
    db,
    `SELECT t.Name AS track, COALESCE(al.Title, 'Unknown album') AS album,
              COALESCE(ar.Name, 'Unknown artist') AS artist,
              CAST(ROUND(l.UnitPrice * 100) AS INTEGER) AS unitPriceCents, l.Quantity AS quantity
         FROM InvoiceLine l
         JOIN Track t ON t.TrackId = l.TrackId
         LEFT JOIN Album al ON al.AlbumId = t.AlbumId
         LEFT JOIN Artist ar ON ar.ArtistId = al.ArtistId
        WHERE l.InvoiceId = ?
        ORDER BY l.InvoiceLineId`,
  ).all(invoiceId) as LineRow[];
  return toInvoiceDetail(row, billing, lines);
}

const money = (amount: number) => `$${amount.toFixed(2)}`;

export function formatInvoiceList(list: InvoiceList): string {
  if (list.invoices.length === 0) return 'You have no invoices yet.';
  const lines = list.invoices.map(
    (i) =>
      `Invoice ${i.invoiceId} (${i.date}): ${money(i.total)}, ${i.itemCount} item${i.itemCount === 1 ? '' : 's'}` +
      (i.refunded ? ', refunded' : ''),
  );
  return [`Your most recent invoices:`, ...lines, ...(list.truncated ? ['(older invoices not shown)'] : [])].join('\n');
}

export function formatInvoiceDetail(i: InvoiceDetail): string {
  return [
    `Invoice ${i.invoiceId} dated ${i.date}, total ${money(i.total)}${i.refunded ? ' (refunded)' : ''}`,
    `Billed to: ${i.billingAddress}`,
    ...i.lines.map((l) => `- ${l.track} — ${l.artist}, ${l.album}: ${l.quantity} × ${money(l.unitPrice)}`),
  ].join('\n');
}

export function registerGetInvoiceTool(server: McpServer, deps: ToolDeps): void {
  defineTool(
    server,
    {
      name: 'get_invoice',
      title: 'Get invoices',
      description:
        "Without invoice_id: lists the signed-in customer's most recent invoices (number, date, total, " +
        'item count, refunded). With invoice_id: that invoice with its lines (track, album, artist, price, ' +
        'quantity). Only the customer’s own invoices are visible.',
      inputSchema: GetInvoiceInput,
      outputSchema: GetInvoiceOutput,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async (input, ctx) => {
      const customerId = requireCustomer(deps.resolveCustomer, ctx);
      if (input.invoice_id === undefined) {
        const list = await deps.store.listInvoices(customerId, LIST_LIMIT);
        return okResult(list, formatInvoiceList(list));
      }
      const invoice = await deps.store.getInvoiceDetail(customerId, input.invoice_id);
      if (!invoice) throw invoiceNotFound(input.invoice_id);
      return okResult({ invoice }, formatInvoiceDetail(invoice));
    },
    deps,
  );
}
