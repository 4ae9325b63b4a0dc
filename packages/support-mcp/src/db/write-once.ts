import type { SupportDb } from './open-db.ts';

/**
 * Runs a ledger write in one IMMEDIATE transaction (concurrent approvals in any process serialize on SQLite's write
 * lock). Should another writer slip in anyway, the table's UNIQUE constraint refuses the second row and the write is
 * answered from what is stored now.
 */
export function writeOnce<T>(db: SupportDb, write: () => T, stored: () => T | undefined): T {
  try {
    return db.transaction(write).immediate();
  } catch (error) {
    if (isUniqueViolation(error)) {
      const found = stored();
      if (found) return found;
    }
    throw error;
  }
}

/** The approval facts every ledger row keeps: who approved, their note, and which request it answered. */
export type ApprovalRecordFields = {
  reason: string | null;
  approvedBy: string;
  note: string | null;
  /** Identifies one approval request; a replay of the same approved round carries the same nonce. */
  nonce: string;
  requestedAt: string;
};

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
