import type { SupportDb } from '../db/open-db.ts';
import { writeOnce, type ApprovalRecordFields } from '../db/write-once.ts';
import { sameAddress } from './email-address.ts';

/** An audit row of `algorhythm_email_changes`, as the contract's `EmailChange`. */
export type EmailChange = {
  changeId: number;
  oldEmail: string;
  newEmail: string;
  reason: string | null;
  approvedBy: string;
  note: string | null;
  createdAt: string;
};

export type RecordEmailChangeInput = ApprovalRecordFields & {
  customerId: number;
  /** The address the approver was shown as current (sealed state); the write re-reads it. */
  oldEmail: string;
  newEmail: string;
};

export type RecordEmailChangeResult =
  | { kind: 'changed'; change: EmailChange }
  /** The same approval arrived again (a client retrying after a lost answer): nothing new written. */
  | { kind: 'replayed'; change: EmailChange }
  /** The account already has the new address (another approval made the same change). */
  | { kind: 'unchanged'; currentEmail: string }
  /** The account email is neither the one the approver saw nor the new one. */
  | { kind: 'changed_since'; currentEmail: string }
  | { kind: 'not_found' };

/** A row of `algorhythm_email_changes`. */
export type ChangeRow = {
  change_id: number;
  customer_id: number;
  old_email: string;
  new_email: string;
  reason: string | null;
  approved_by: string;
  note: string | null;
  nonce: string;
  requested_at: string | Date;
  created_at: string | Date;
};

export const toChange = (row: ChangeRow): EmailChange => ({
  changeId: row.change_id,
  oldEmail: row.old_email,
  newEmail: row.new_email,
  reason: row.reason,
  approvedBy: row.approved_by,
  note: row.note,
  createdAt: typeof row.created_at === 'string' ? row.created_at : row.created_at.toISOString(),
});

/**
 * Changes `Customer.Email` and writes its audit row in `algorhythm_email_changes`, in one IMMEDIATE
 * transaction (concurrent approvals in any process serialize on SQLite's write lock). Exactly once per
 * approval: the nonce is UNIQUE, and a nonce already recorded answers `replayed` without writing.
 */
export class EmailChangeLedger {
  readonly #db: SupportDb;
  readonly #clock: () => Date;

  constructor(db: SupportDb, clock: () => Date = () => new Date()) {
    this.#db = db;
    this.#clock = clock;
  }

  /** The change an approval made, if any; scoped to the customer like everything else. */
  findByNonce(customerId: number, nonce: string): EmailChange | undefined {
    const row = this.#db
      .prepare(`SELECT * FROM algorhythm_email_changes WHERE nonce = ? AND customer_id = ?`)
      .get(nonce, customerId) as ChangeRow | undefined;
    return row ? toChange(row) : undefined;
  }

  record(input: RecordEmailChangeInput): RecordEmailChangeResult {
    const write = (): RecordEmailChangeResult => {
      const existing = this.findByNonce(input.customerId, input.nonce);
      if (existing) return { kind: 'replayed', change: existing };
      const current = this.#db.prepare(`SELECT Email FROM Customer WHERE CustomerId = ?`).pluck().get(input.customerId) as
        | string
        | undefined;
      if (current === undefined) return { kind: 'not_found' };
      if (current !== input.oldEmail) {
        return sameAddress(current, input.newEmail)
          ? { kind: 'unchanged', currentEmail: current }
          : { kind: 'changed_since', currentEmail: current };
      }
      const updated = this.#db
        .prepare(`UPDATE Customer SET Email = ? WHERE CustomerId = ? AND Email = ?`)
        .run(input.newEmail, input.customerId, input.oldEmail);
      if (updated.changes !== 1) throw new Error(`email change for customer ${input.customerId} updated ${updated.changes} rows`);
      const row = this.#db
        .prepare(
          `INSERT INTO algorhythm_email_changes
             (customer_id, old_email, new_email, reason, approved_by, note, nonce, requested_at, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
        )
        .get(input.customerId, input.oldEmail, input.newEmail, input.reason, input.approvedBy, input.note, input.nonce, input.requestedAt, this.#clock().toISOString()) as ChangeRow;
      return { kind: 'changed', change: toChange(row) };
    };
    return writeOnce(this.#db, write, () => {
      const existing = this.findByNonce(input.customerId, input.nonce);
      return existing && { kind: 'replayed', change: existing };
    });
  }
}
