import { randomBytes } from 'node:crypto';
import type { Queryable } from '../transaction.ts';

export const INSERT_SECRET = 'INSERT INTO algorhythm_secret (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING';
export const GET_SECRET = 'SELECT value FROM algorhythm_secret WHERE name = $1';

/**
 * The named secret, created on first use. Two statements on purpose: a replica whose insert lost the race waits for
 * the winner's commit, and the SELECT after it (a new snapshot) reads the winner's value, so every replica agrees.
 */
export async function getOrCreateSecret(db: Queryable, name: string): Promise<string> {
  await db.query(INSERT_SECRET, [name, randomBytes(32).toString('base64url')]);
  const { rows } = await db.query<{ value: string }>(GET_SECRET, [name]);
  return rows[0]!.value;
}
