import Database from 'better-sqlite3';
import { join } from 'node:path';
import pg from 'pg';

export interface LedgerRow {
  invoice_id: number;
  customer_id: number;
  amount_cents: number;
  approved_by: string;
  approver_note: string | null;
}

/** The customer's newest invoice in the test's copy of Chinook: what "my last order" means. */
export function newestInvoice(dataDir: string, customerId: number): { invoiceId: number; total: number } {
  const db = new Database(join(dataDir, 'chinook.db'), { readonly: true });
  try {
    return db
      .prepare('SELECT InvoiceId AS invoiceId, Total AS total FROM Invoice WHERE CustomerId = ? ORDER BY InvoiceDate DESC, InvoiceId DESC LIMIT 1')
      .get(customerId) as { invoiceId: number; total: number };
  } finally {
    db.close();
  }
}

/** Reads the support server's refund ledger straight from the SQLite file the test gave the host. */
export function ledgerRows(dataDir: string): LedgerRow[] {
  const db = new Database(join(dataDir, 'chinook.db'), { readonly: true });
  try {
    const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'algorhythm_refunds'`).get();
    return exists ? (db.prepare('SELECT * FROM algorhythm_refunds ORDER BY invoice_id').all() as LedgerRow[]) : [];
  } finally {
    db.close();
  }
}

/** The customer's `count` newest invoices, newest first. */
export function newestInvoices(dataDir: string, customerId: number, count: number): number[] {
  const db = new Database(join(dataDir, 'chinook.db'), { readonly: true });
  try {
    const rows = db
      .prepare('SELECT InvoiceId AS id FROM Invoice WHERE CustomerId = ? ORDER BY InvoiceDate DESC, InvoiceId DESC LIMIT ?')
      .all(customerId, count) as Array<{ id: number }>;
    return rows.map((row) => row.id);
  } finally {
    db.close();
  }
}

/** The same ledger where the support service keeps it when the host runs on PostgreSQL (DATABASE_URL). */
export async function postgresLedgerRows(databaseUrl: string): Promise<LedgerRow[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<LedgerRow>(
      `SELECT invoice_id, customer_id, amount_cents, approved_by, approver_note FROM algorhythm_refunds ORDER BY invoice_id, refund_id`,
    );
    return rows;
  } finally {
    await client.end();
  }
}
