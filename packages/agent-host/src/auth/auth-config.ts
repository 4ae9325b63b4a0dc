import { z } from 'zod';

/** How customers get a session: the demo picker, a token signed by the store's backend, or OpenID Connect. */
export type CustomerAuth =
  | { mode: 'demo' }
  | { mode: 'store-token'; jwksUrl: URL; issuer: string; audience: string; customerClaim: string }
  | ({ mode: 'oidc'; customerClaim: string } & OidcClientSettings);

/** How admins sign in: the shared token (demo and scripts), or OpenID Connect with a role. */
export type AdminAuth = { mode: 'token' } | ({ mode: 'oidc'; roleClaim: string; role: string } & OidcClientSettings);

export interface OidcClientSettings {
  issuer: URL;
  clientId: string;
  clientSecret: string;
  /** Where the provider sends the browser back: `${PUBLIC_URL}/auth/…/callback`. */
  redirectUri: URL;
}

export interface AuthConfig {
  customer: CustomerAuth;
  admin: AdminAuth;
}

const text = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

const AuthEnv = z.object({
  CUSTOMER_AUTH: z.enum(['demo', 'store-token', 'oidc']).default('demo'),
  ADMIN_AUTH: z.enum(['token', 'oidc']).default('token'),
  PUBLIC_URL: text,
  STORE_JWKS_URL: text,
  STORE_TOKEN_ISSUER: text,
  STORE_TOKEN_AUDIENCE: text,
  STORE_TOKEN_CUSTOMER_CLAIM: text,
  CUSTOMER_OIDC_ISSUER: text,
  CUSTOMER_OIDC_CLIENT_ID: text,
  CUSTOMER_OIDC_CLIENT_SECRET: text,
  CUSTOMER_OIDC_CLAIM: text,
  ADMIN_OIDC_ISSUER: text,
  ADMIN_OIDC_CLIENT_ID: text,
  ADMIN_OIDC_CLIENT_SECRET: text,
  ADMIN_OIDC_ROLE_CLAIM: text,
  ADMIN_OIDC_ROLE: text,
});
type AuthEnv = z.infer<typeof AuthEnv>;

const STORE_VARIABLES = ['STORE_JWKS_URL', 'STORE_TOKEN_ISSUER', 'STORE_TOKEN_AUDIENCE'] as const;
const CUSTOMER_OIDC_VARIABLES = ['CUSTOMER_OIDC_ISSUER', 'CUSTOMER_OIDC_CLIENT_ID', 'CUSTOMER_OIDC_CLIENT_SECRET'] as const;
const ADMIN_OIDC_VARIABLES = ['ADMIN_OIDC_ISSUER', 'ADMIN_OIDC_CLIENT_ID', 'ADMIN_OIDC_CLIENT_SECRET'] as const;

/**
 * Sign-in configuration from the environment (called by config.ts, the only reader of env). Throws a
 * one-line message for a half-configured mode, and for real-mode settings left beside the demo mode: that
 * would leave the demo picker (anyone is any customer) open by accident.
 */
export function parseAuthConfig(env: Record<string, string | undefined>): AuthConfig {
  const parsed = AuthEnv.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${issue.path.join('.')}: ${issue.message}`);
  }
  const e = parsed.data;
  const given = (names: readonly (keyof AuthEnv)[]) => names.filter((name) => e[name] !== undefined);
  const require = (mode: string, names: readonly (keyof AuthEnv)[]) => {
    const missing = names.filter((name) => e[name] === undefined);
    if (missing.length) throw new Error(`${mode} needs ${missing.join(', ')}.`);
  };
  const url = (name: keyof AuthEnv): URL => {
    try {
      return new URL(e[name]!);
    } catch {
      throw new Error(`${name} must be a URL (got "${e[name]}").`);
    }
  };
  const publicUrl = (): URL => {
    if (!e.PUBLIC_URL) throw new Error('OpenID Connect sign-in needs PUBLIC_URL (the address browsers use, for the redirect URI).');
    return url('PUBLIC_URL');
  };

  /** One provider's client settings: `${who}_OIDC_ISSUER`, `_CLIENT_ID`, `_CLIENT_SECRET`, the redirect URI on PUBLIC_URL. */
  const oidcClient = (who: 'CUSTOMER' | 'ADMIN', callbackPath: string): OidcClientSettings => {
    require(`${who}_AUTH=oidc`, who === 'CUSTOMER' ? CUSTOMER_OIDC_VARIABLES : ADMIN_OIDC_VARIABLES);
    return {
      issuer: url(`${who}_OIDC_ISSUER`),
      clientId: e[`${who}_OIDC_CLIENT_ID`]!,
      clientSecret: e[`${who}_OIDC_CLIENT_SECRET`]!,
      redirectUri: new URL(callbackPath, publicUrl()),
    };
  };

  let customer: CustomerAuth;
  if (e.CUSTOMER_AUTH === 'demo') {
    const stray = given([...STORE_VARIABLES, ...CUSTOMER_OIDC_VARIABLES]);
    if (stray.length) {
      throw new Error(`${stray.join(', ')} set but CUSTOMER_AUTH is demo (anyone could sign in as any customer): set CUSTOMER_AUTH=store-token or oidc, or remove them.`);
    }
    customer = { mode: 'demo' };
  } else if (e.CUSTOMER_AUTH === 'store-token') {
    require('CUSTOMER_AUTH=store-token', STORE_VARIABLES);
    customer = {
      mode: 'store-token',
      jwksUrl: url('STORE_JWKS_URL'),
      issuer: e.STORE_TOKEN_ISSUER!,
      audience: e.STORE_TOKEN_AUDIENCE!,
      customerClaim: e.STORE_TOKEN_CUSTOMER_CLAIM ?? 'customer_id',
    };
  } else {
    customer = {
      mode: 'oidc',
      ...oidcClient('CUSTOMER', '/auth/callback'),
      customerClaim: e.CUSTOMER_OIDC_CLAIM ?? 'email',
    };
  }

  let admin: AdminAuth;
  if (e.ADMIN_AUTH === 'token') {
    const stray = given(ADMIN_OIDC_VARIABLES);
    if (stray.length) throw new Error(`${stray.join(', ')} set but ADMIN_AUTH is token: set ADMIN_AUTH=oidc, or remove them.`);
    admin = { mode: 'token' };
  } else {
    admin = {
      mode: 'oidc',
      ...oidcClient('ADMIN', '/auth/admin/callback'),
      roleClaim: e.ADMIN_OIDC_ROLE_CLAIM ?? 'roles',
      role: e.ADMIN_OIDC_ROLE ?? 'algorhythm-admin',
    };
  }
  return { customer, admin };
}
