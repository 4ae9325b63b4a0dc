import { randomBytes } from 'node:crypto';
import type { SupportDb } from './open-db.ts';

/**
 * Returns the named secret stored in the working database, creating it (32 random bytes, base64url)
 * on first use. `INSERT OR IGNORE` + read-back makes concurrent first starts agree on one value, so
 * every server process on this database (one per stdio customer, restarts included) shares it.
 */
export function getOrCreateSecret(db: SupportDb, name: string): string {
  db.prepare(`INSERT OR IGNORE INTO algorhythm_secret (name, value, created_at) VALUES (?, ?, ?)`).run(
    name,
    randomBytes(32).toString('base64url'),
    new Date().toISOString(),
  );
  const row = db.prepare(`SELECT value FROM algorhythm_secret WHERE name = ?`).get(name) as { value: string };
  return row.value;
}
