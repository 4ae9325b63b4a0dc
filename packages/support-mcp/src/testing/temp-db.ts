// Test helpers: every test file works on its own copy of the pristine Chinook file, never data/chinook.db.
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const PRISTINE_DB = join(REPO_ROOT, 'data/chinook.pristine.sqlite');
export const WORKING_DB = join(REPO_ROOT, 'data/chinook.db');
export const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/support-mcp.js');

export type TempDb = { dir: string; path: string; cleanup: () => void };

export function makeTempDb(prefix = 'support-mcp-'): TempDb {
  const source = existsSync(PRISTINE_DB) ? PRISTINE_DB : WORKING_DB;
  if (!existsSync(source)) throw new Error(`no Chinook database at ${source}: run \`pnpm db:setup\``);
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const path = join(dir, 'chinook.db');
  copyFileSync(source, path);
  return { dir, path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export type LedgerRow = {
  refund_id: number;
  invoice_id: number;
  customer_id: number;
  amount_cents: number;
  reason: string | null;
  approved_by: string;
  approver_note: string | null;
  approval_nonce: string;
  requested_at: string;
  created_at: string;
};

/** Reads the ledger straight from the SQLite file, through a separate read-only connection. */
export function readLedger(path: string, invoiceId?: number): LedgerRow[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'algorhythm_refunds'`).get();
    if (!exists) return [];
    return (
      invoiceId === undefined
        ? db.prepare('SELECT * FROM algorhythm_refunds ORDER BY refund_id').all()
        : db.prepare('SELECT * FROM algorhythm_refunds WHERE invoice_id = ? ORDER BY refund_id').all(invoiceId)
    ) as LedgerRow[];
  } finally {
    db.close();
  }
}
