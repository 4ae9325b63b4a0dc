import type { LimiterBackend } from '../limits/limiter-backend.ts';
import type { AuthConfig } from './auth-config.ts';
import { createOidcSignIn, type OidcSignIn } from './oidc-sign-in.ts';
import { createStoreTokenVerifier } from './store-token.ts';

/** The configured ways in, built once by the composition root; the routes switch on `mode`. */
export interface SignInMethods {
  customer:
    | { mode: 'demo' }
    | { mode: 'store-token'; verify: (token: string) => Promise<number> }
    | { mode: 'oidc'; oidc: OidcSignIn; customerClaim: string };
  admin: { mode: 'token' } | { mode: 'oidc'; oidc: OidcSignIn; roleClaim: string; role: string };
}

/** `counters`: where a store token's `jti` is spent (the limits' backend, shared by the replicas). */
export function createSignInMethods(config: AuthConfig, counters: LimiterBackend): SignInMethods {
  const c = config.customer;
  const a = config.admin;
  return {
    customer:
      c.mode === 'demo'
        ? { mode: 'demo' }
        : c.mode === 'store-token'
          ? { mode: 'store-token', verify: createStoreTokenVerifier(c, counters) }
          : { mode: 'oidc', oidc: createOidcSignIn(c), customerClaim: c.customerClaim },
    admin: a.mode === 'token' ? { mode: 'token' } : { mode: 'oidc', oidc: createOidcSignIn(a), roleClaim: a.roleClaim, role: a.role },
  };
}

/** Whether the ID token's role claim (a list, or a space-separated string) holds `role`. */
export function hasRole(claims: Record<string, unknown>, claim: string, role: string): boolean {
  const value = claims[claim];
  const roles = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/\s+/) : [];
  return roles.includes(role);
}
