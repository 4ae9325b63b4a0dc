import { toChange, type ChangeRow, type EmailChange } from '../../../customers/email-change-ledger.ts';
import type { Queryable } from '../transaction.ts';

export const FIND_EMAIL_CHANGE = 'SELECT * FROM algorhythm_email_changes WHERE nonce = $1 AND customer_id = $2';

export async function findEmailChange(db: Queryable, customerId: number, nonce: string): Promise<EmailChange | undefined> {
  const { rows } = await db.query<ChangeRow>(FIND_EMAIL_CHANGE, [nonce, customerId]);
  return rows[0] && toChange(rows[0]);
}
