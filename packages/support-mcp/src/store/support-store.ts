import type { CustomerRow, OwnedInvoice } from '../customers/customer-lookup.ts';
import type { EmailChange, RecordEmailChangeInput, RecordEmailChangeResult } from '../customers/email-change-ledger.ts';
import type { RecordRefundInput, RecordRefundResult, StoredRefund } from '../refunds/refund-ledger.ts';
import type { InvoiceDetail, InvoiceList } from '../tools/get-invoice.ts';

/**
 * Everything the tools read and write, asynchronous so that one interface fits both backends: SQLite
 * (`sqlite-store.ts`, one process or several on one file: stdio, Claude Desktop) and PostgreSQL
 * (`postgres-store.ts`, support replicas sharing one database). Every call is scoped to one customer;
 * the writes are the ledgers' single transactions, exactly once per approval whichever replica runs them.
 */
export interface SupportStore {
  findCustomer(customerId: number): Promise<CustomerRow | undefined>;
  /** The invoice only if it is this customer's; another customer's is `undefined`, like a missing one. */
  findOwnedInvoice(customerId: number, invoiceId: number): Promise<OwnedInvoice | undefined>;
  /** Most recent first, at most `limit`. */
  listInvoices(customerId: number, limit: number): Promise<InvoiceList>;
  getInvoiceDetail(customerId: number, invoiceId: number): Promise<InvoiceDetail | undefined>;
  /** The refund of this customer's invoice, with the nonce of the approval that made it. */
  findRefund(customerId: number, invoiceId: number): Promise<StoredRefund | undefined>;
  /** One refund per invoice (the database refuses a second); the amount is the invoice total, read here. */
  recordRefund(input: RecordRefundInput): Promise<RecordRefundResult>;
  findEmailChange(customerId: number, nonce: string): Promise<EmailChange | undefined>;
  /** `Customer.Email` and its audit row together, once per approval. */
  recordEmailChange(input: RecordEmailChangeInput): Promise<RecordEmailChangeResult>;
  /** A server secret shared by every process on this database, created on first use. */
  getOrCreateSecret(name: string): Promise<string>;
}
