import Database from 'better-sqlite3';
import { join } from 'node:path';

/**
 * What "another customer's data" means for the scoping suites: every other customer's e-mail, phone,
 * street address and full name, and the numbers of their invoices, read from the test's Chinook copy.
 */
export interface ForeignData {
  customerId: number;
  ownInvoices: Set<number>;
  foreignInvoices: Set<number>;
  /** Strings that must never reach this customer. */
  secrets: string[];
  /** The first secret found in `text`, if any. */
  find(text: string): string | undefined;
}

export function foreignDataFor(dataDir: string, customerId: number): ForeignData {
  const db = new Database(join(dataDir, 'chinook.db'), { readonly: true });
  try {
    const invoices = db.prepare('SELECT InvoiceId AS id, CustomerId AS customer FROM Invoice').all() as Array<{ id: number; customer: number }>;
    const others = db
      .prepare(`SELECT FirstName || ' ' || LastName AS name, Email, Phone, Address FROM Customer WHERE CustomerId <> ?`)
      .all(customerId) as Array<{ name: string; Email: string; Phone: string | null; Address: string }>;
    const secrets = others.flatMap((c) => [c.Email, c.name, c.Address, ...(c.Phone ? [c.Phone] : [])]);
    return {
      customerId,
      ownInvoices: new Set(invoices.filter((i) => i.customer === customerId).map((i) => i.id)),
      foreignInvoices: new Set(invoices.filter((i) => i.customer !== customerId).map((i) => i.id)),
      secrets,
      find: (text) => secrets.find((secret) => text.includes(secret)),
    };
  } finally {
    db.close();
  }
}

/** Every `invoiceId` (or `invoice_id`) number anywhere in a JSON value. */
export function invoiceIdsIn(value: unknown): number[] {
  const found: number[] = [];
  JSON.stringify(value ?? null, (key, v: unknown) => {
    if ((key === 'invoiceId' || key === 'invoice_id') && typeof v === 'number') found.push(v);
    return v;
  });
  return found;
}

/** The host's raw stored rows (tool payloads included), read from its SQLite file. */
export function storedRows(dataDir: string): { messages: Array<{ conversation_id: string; content: string }>; approvals: Array<Record<string, unknown>> } {
  const db = new Database(join(dataDir, 'agent-host.db'), { readonly: true });
  try {
    db.pragma('busy_timeout = 5000');
    return {
      messages: db.prepare('SELECT conversation_id, content FROM message ORDER BY conversation_id, seq').all() as Array<{
        conversation_id: string;
        content: string;
      }>,
      approvals: db.prepare('SELECT * FROM approval').all() as Array<Record<string, unknown>>,
    };
  } finally {
    db.close();
  }
}
