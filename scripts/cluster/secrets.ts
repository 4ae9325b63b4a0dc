import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** What every process of the cluster shares, kept in its folder's `secrets.json`. */
export interface Secrets {
  SESSION_SECRET: string;
  ADMIN_TOKEN: string;
  /** Signs the hosts' per-customer bearer tokens; every support replica checks them. */
  SUPPORT_TOKEN_SECRET: string;
  /** Seals approval state in one support replica's answer, opened by whichever replica gets the retried call. */
  REQUEST_STATE_KEY: string;
}

const MAKE: Record<keyof Secrets, () => string> = {
  SESSION_SECRET: () => randomBytes(32).toString('base64url'),
  ADMIN_TOKEN: () => randomBytes(24).toString('base64url'),
  SUPPORT_TOKEN_SECRET: () => randomBytes(32).toString('base64url'),
  REQUEST_STATE_KEY: () => randomBytes(32).toString('base64url'),
};

/** Made once and kept (a folder from before a secret existed gets it added); `generated`: the admin token is new. */
export function loadOrCreateSecrets(path: string): { secrets: Secrets; generated: boolean } {
  const kept = (existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {}) as Partial<Secrets>;
  const missing = (Object.keys(MAKE) as Array<keyof Secrets>).filter((name) => !kept[name]);
  const secrets = { ...kept, ...Object.fromEntries(missing.map((name) => [name, MAKE[name]()])) } as Secrets;
  if (missing.length > 0) writeFileSync(path, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return { secrets, generated: missing.includes('ADMIN_TOKEN') };
}
