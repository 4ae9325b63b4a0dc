import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { RateLimiterRes } from 'rate-limiter-flexible';
import type { LimiterBackend } from '../limits/limiter-backend.ts';

export interface StoreTokenSettings {
  jwksUrl: URL;
  issuer: string;
  audience: string;
  customerClaim: string;
}

/** A hand-off token: minutes, not days. Also how long its `jti` is remembered (it is refused as too old after). */
const MAX_AGE_SECONDS = 15 * 60;
const CLOCK_TOLERANCE_SECONDS = 5;

/** Why a store token was refused: said to the customer in one sentence, nothing else is revealed. */
export class StoreTokenError extends Error {
  override readonly name = 'StoreTokenError';
}

/**
 * Verifies a short-lived token signed by the store's backend against the store's JWKS (fetched and cached
 * by jose, refreshed when an unknown key id appears): signature, issuer, audience, expiry, age, and the
 * customer id in the configured claim. Each token signs in once: its `jti` is spent on the shared counters
 * (in PostgreSQL across replicas), because a link in a URL can leak (history, logs, a shared screen).
 * Returns the customer id; whether the customer exists is the caller's check.
 */
export function createStoreTokenVerifier(settings: StoreTokenSettings, counters: LimiterBackend): (token: string) => Promise<number> {
  const keys = createRemoteJWKSet(settings.jwksUrl, { timeoutDuration: 5_000, cooldownDuration: 30_000 });
  const spent = counters.limiter({ name: 'store_token_jti', points: 1, durationSeconds: MAX_AGE_SECONDS + CLOCK_TOLERANCE_SECONDS });
  return async (token) => {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: settings.issuer,
        audience: settings.audience,
        requiredClaims: ['exp', 'iat', 'jti', settings.customerClaim],
        maxTokenAge: MAX_AGE_SECONDS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new StoreTokenError('This sign-in link has expired: open the chat again from your store account.');
      if (error instanceof errors.JOSEError) throw new StoreTokenError('This sign-in link is not valid.');
      throw error;
    }
    const raw = payload[settings.customerClaim];
    const id = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(id) || id <= 0) throw new StoreTokenError('This sign-in link names no customer.');
    try {
      await spent.consume(`${settings.issuer} ${String(payload.jti).slice(0, 200)}`);
    } catch (rejection) {
      // Only a second use is refused as such; a counter that cannot be reached fails the sign-in (an error).
      if (rejection instanceof RateLimiterRes) throw new StoreTokenError('This sign-in link was already used: open the chat again from your store account.');
      throw rejection;
    }
    return id;
  };
}
