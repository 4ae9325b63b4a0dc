import Database from 'better-sqlite3';
import { join } from 'node:path';

export interface LedgerRow {
  invoice_id: number;
  customer_id: number;
  amount_cents: number;
  approved_by: string;
  approver_note: string | null;
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
