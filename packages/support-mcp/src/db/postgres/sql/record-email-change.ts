import type pg from 'pg';
import { sameAddress } from '../../../customers/email-address.ts';
import { toChange, type ChangeRow, type RecordEmailChangeInput, type RecordEmailChangeResult } from '../../../customers/email-change-ledger.ts';
import { isUniqueViolation, withTransaction } from '../transaction.ts';
import { findEmailChange } from './find-email-change.ts';

/**
 * The change and its audit row in one statement: the email moves only from the address the approver saw, and the
 * row is written only if it moved. A CHECK or the UNIQUE nonce refusing the row undoes the update with it.
 */
export const CHANGE_EMAIL = `WITH changed AS (
    UPDATE "Customer" SET "Email" = $3 WHERE "CustomerId" = $1 AND "Email" = $2 RETURNING "CustomerId"
  )
  INSERT INTO algorhythm_email_changes
    (customer_id, old_email, new_email, reason, approved_by, note, nonce, requested_at, created_at)
  SELECT "CustomerId", $2, $3, $4, $5, $6, $7, $8, $9 FROM changed
  RETURNING *`;

export const CURRENT_EMAIL = 'SELECT "Email" AS email FROM "Customer" WHERE "CustomerId" = $1';

/** Changes the account email once per approval: a replay (even racing on another replica) answers `replayed`. */
export async function recordEmailChange(pool: pg.Pool, input: RecordEmailChangeInput, createdAt: Date): Promise<RecordEmailChangeResult> {
  try {
    return await withTransaction(pool, async (client) => {
      const done = await findEmailChange(client, input.customerId, input.nonce);
      if (done) return { kind: 'replayed', change: done };
      const { rows } = await client.query<ChangeRow>(CHANGE_EMAIL, [
        input.customerId,
        input.oldEmail,
        input.newEmail,
        input.reason,
        input.approvedBy,
        input.note,
        input.nonce,
        input.requestedAt,
        createdAt.toISOString(),
      ]);
      if (rows[0]) return { kind: 'changed', change: toChange(rows[0]) };
      return whyUnchanged(client, input);
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const done = await findEmailChange(pool, input.customerId, input.nonce);
    if (done) return { kind: 'replayed', change: done };
    throw error;
  }
}

/** Nothing moved: this approval won elsewhere meanwhile (the update waited for its commit), or the email is not the one seen. */
async function whyUnchanged(client: pg.ClientBase, input: RecordEmailChangeInput): Promise<RecordEmailChangeResult> {
  const done = await findEmailChange(client, input.customerId, input.nonce);
  if (done) return { kind: 'replayed', change: done };
  const { rows } = await client.query<{ email: string }>(CURRENT_EMAIL, [input.customerId]);
  const current = rows[0]?.email;
  if (current === undefined) return { kind: 'not_found' };
  return sameAddress(current, input.newEmail) ? { kind: 'unchanged', currentEmail: current } : { kind: 'changed_since', currentEmail: current };
}
