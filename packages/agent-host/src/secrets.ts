import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export interface HostSecrets {
  sessionSecret: string;
  adminToken: string;
  /** True when the admin token was generated just now (it is printed once). */
  generatedAdminToken: boolean;
}

interface StoredSecrets {
  sessionSecret?: string;
  adminToken?: string;
}

/**
 * Secrets not given in the environment are generated once and kept in the data folder (mode 0600),
 * so sessions and the admin token survive a restart.
 */
export function ensureSecrets(path: string, given: { sessionSecret?: string | undefined; adminToken?: string | undefined }): HostSecrets {
  const stored: StoredSecrets = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as StoredSecrets) : {};
  const next: StoredSecrets = { ...stored };
  if (!given.sessionSecret && !stored.sessionSecret) next.sessionSecret = randomBytes(32).toString('base64url');
  const generatedAdminToken = !given.adminToken && !stored.adminToken;
  if (generatedAdminToken) next.adminToken = randomBytes(24).toString('base64url');
  if (next.sessionSecret !== stored.sessionSecret || next.adminToken !== stored.adminToken) {
    writeFileSync(path, JSON.stringify(next, null, 2), { mode: 0o600 });
  }
  return {
    sessionSecret: given.sessionSecret ?? next.sessionSecret!,
    adminToken: given.adminToken ?? next.adminToken!,
    generatedAdminToken,
  };
}

/** A key for one purpose (customer session, admin session) derived from the one secret, so cookies never cross over. */
export function purposeKey(secret: string, purpose: 'customer-session' | 'admin-session'): string {
  return createHmac('sha256', secret).update(`algorhythm:${purpose}`).digest('base64url');
}

/**
 * The support service's REQUEST_STATE_KEY (seals approval states) when the replicas share PostgreSQL: HKDF-SHA256 of
 * SESSION_SECRET, which every replica already shares, under a label of its own, so each replica's support service
 * opens what another's sealed, and the key reveals nothing of the cookie keys (nor they of it).
 */
export function supportStateKey(sessionSecret: string): string {
  return Buffer.from(hkdfSync('sha256', sessionSecret, 'algorhythm', 'algorhythm:support-request-state', 32)).toString('base64url');
}

/**
 * With a shared database (DATABASE_URL) every replica must sign and check cookies alike, so the secrets come
 * from the environment only: never generated, never kept in a per-host file. `loadConfig` already refused a
 * start without them; this is the composition root's guard.
 */
export function sharedSecrets(given: { sessionSecret?: string | undefined; adminToken?: string | undefined }): HostSecrets {
  if (!given.sessionSecret || !given.adminToken) {
    throw new Error('SESSION_SECRET and ADMIN_TOKEN must be set when DATABASE_URL is set.');
  }
  return { sessionSecret: given.sessionSecret, adminToken: given.adminToken, generatedAdminToken: false };
}
