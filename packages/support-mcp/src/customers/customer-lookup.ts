import type { SupportDb } from '../db/open-db.ts';
import { statement } from '../db/statements.ts';

export type CustomerRow = {
  customerId: number;
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
  company: string | null;
  address: string | null;
  city: string | null;
  state: string | null;
  country: string | null;
  postalCode: string | null;
};

export function findCustomer(db: SupportDb, customerId: number): CustomerRow | undefined {
  return statement(
    db,
    `SELECT CustomerId AS customerId, FirstName AS firstName, LastName AS lastName, Email AS email,
            Phone AS phone, Company AS company, Address AS address, City AS city, State AS state,
            Country AS country, PostalCode AS postalCode
       FROM Customer WHERE CustomerId = ?`,
  ).get(customerId) as CustomerRow | undefined;
}

export type OwnedInvoice = { invoiceId: number; customerId: number; date: string; totalCents: number };

/**
 * The invoice if, and only if, it belongs to the customer. Another customer's invoice and a missing
 * one give the same `undefined`, so callers cannot leak which invoice numbers exist.
 */
export function findOwnedInvoice(db: SupportDb, customerId: number, invoiceId: number): OwnedInvoice | undefined {
  const row = statement(
    db,
    `SELECT InvoiceId AS invoiceId, CustomerId AS customerId, InvoiceDate AS date,
            CAST(ROUND(Total * 100) AS INTEGER) AS totalCents
       FROM Invoice WHERE InvoiceId = ? AND CustomerId = ?`,
  ).get(invoiceId, customerId) as OwnedInvoice | undefined;
  return row ? { ...row, date: isoDate(row.date) } : undefined;
}

/** Chinook stores `YYYY-MM-DD HH:MM:SS` (all at midnight); the contract wants ISO 8601: the date part. */
export function isoDate(chinookDate: string): string {
  return chinookDate.slice(0, 10);
}

export const dollars = (cents: number) => Math.round(cents) / 100;
