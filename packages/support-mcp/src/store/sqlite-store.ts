import { findCustomer, findOwnedInvoice } from '../customers/customer-lookup.ts';
import { EmailChangeLedger } from '../customers/email-change-ledger.ts';
import type { SupportDb } from '../db/open-db.ts';
import { getOrCreateSecret } from '../db/secret-store.ts';
import { RefundLedger } from '../refunds/refund-ledger.ts';
import { getInvoiceDetail, listInvoices } from '../tools/get-invoice.ts';
import type { SupportStore } from './support-store.ts';

/**
 * The store over the working SQLite copy: today's synchronous queries and ledgers (better-sqlite3), answered as
 * promises. Nothing awaits between a check and its write: each ledger write is one BEGIN IMMEDIATE transaction.
 */
export function sqliteSupportStore(db: SupportDb, clock: () => Date = () => new Date()): SupportStore {
  const refunds = new RefundLedger(db, clock);
  const emailChanges = new EmailChangeLedger(db, clock);
  return {
    findCustomer: async (customerId) => findCustomer(db, customerId),
    findOwnedInvoice: async (customerId, invoiceId) => findOwnedInvoice(db, customerId, invoiceId),
    listInvoices: async (customerId, limit) => listInvoices(db, customerId, limit),
    getInvoiceDetail: async (customerId, invoiceId) => getInvoiceDetail(db, customerId, invoiceId),
    findRefund: async (customerId, invoiceId) => refunds.findByInvoice(customerId, invoiceId),
    recordRefund: async (input) => refunds.record(input),
    findEmailChange: async (customerId, nonce) => emailChanges.findByNonce(customerId, nonce),
    recordEmailChange: async (input) => emailChanges.record(input),
    getOrCreateSecret: async (name) => getOrCreateSecret(db, name),
  };
}
