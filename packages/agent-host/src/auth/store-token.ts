import { createRemoteJWKSet, errors, jwtVerify } from 'jose';

export interface StoreTokenSettings {
  jwksUrl: URL;
  issuer: string;
  audience: string;
  customerClaim: string;
}

/** Why a store token was refused: said to the customer in one sentence, nothing else is revealed. */
export class StoreTokenError extends Error {
  override readonly name = 'StoreTokenError';
}

/**
 * Verifies a short-lived token signed by the store's backend against the store's JWKS (fetched and cached
 * by jose, refreshed when an unknown key id appears): signature, issuer, audience, expiry, and the
 * customer id in the configured claim. Returns that id; whether the customer exists is the caller's check.
 */
export function createStoreTokenVerifier(settings: StoreTokenSettings): (token: string) => Promise<number> {
  const keys = createRemoteJWKSet(settings.jwksUrl, { timeoutDuration: 5_000, cooldownDuration: 30_000 });
  return async (token) => {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: settings.issuer,
        audience: settings.audience,
        requiredClaims: ['exp', settings.customerClaim],
        // A hand-off token: minutes, not days.
        maxTokenAge: '15m',
        clockTolerance: 5,
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new StoreTokenError('This sign-in link has expired: open the chat again from your store account.');
      if (error instanceof errors.JOSEError) throw new StoreTokenError('This sign-in link is not valid.');
      throw error;
    }
    const raw = payload[settings.customerClaim];
    const id = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(id) || id <= 0) throw new StoreTokenError('This sign-in link names no customer.');
    return id;
  };
}
