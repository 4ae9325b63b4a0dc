import type { PostgresDb } from '../db/postgres/postgres-db.ts';
import { findCustomer } from '../db/postgres/sql/find-customer.ts';
import { findEmailChange } from '../db/postgres/sql/find-email-change.ts';
import { findOwnedInvoice } from '../db/postgres/sql/find-owned-invoice.ts';
import { findRefund } from '../db/postgres/sql/find-refund.ts';
import { getInvoiceDetail } from '../db/postgres/sql/get-invoice-detail.ts';
import { getOrCreateSecret } from '../db/postgres/sql/get-or-create-secret.ts';
import { listInvoices } from '../db/postgres/sql/list-invoices.ts';
import { recordEmailChange } from '../db/postgres/sql/record-email-change.ts';
import { recordRefund } from '../db/postgres/sql/record-refund.ts';
import type { SupportStore } from './support-store.ts';

/** The store over PostgreSQL: one SQL operation per file (`db/postgres/sql/`), shared by every support replica. */
export function postgresSupportStore({ pool }: PostgresDb, clock: () => Date = () => new Date()): SupportStore {
  return {
    findCustomer: (customerId) => findCustomer(pool, customerId),
    findOwnedInvoice: (customerId, invoiceId) => findOwnedInvoice(pool, customerId, invoiceId),
    listInvoices: (customerId, limit) => listInvoices(pool, customerId, limit),
    getInvoiceDetail: (customerId, invoiceId) => getInvoiceDetail(pool, customerId, invoiceId),
    findRefund: (customerId, invoiceId) => findRefund(pool, customerId, invoiceId),
    recordRefund: (input) => recordRefund(pool, input, clock()),
    findEmailChange: (customerId, nonce) => findEmailChange(pool, customerId, nonce),
    recordEmailChange: (input) => recordEmailChange(pool, input, clock()),
    getOrCreateSecret: (name) => getOrCreateSecret(pool, name),
  };
}
