import { errors, jwtVerify, SignJWT } from 'jose';

/** Audience and issuer of customer tokens: a token minted for another service does not verify here. */
export const TOKEN_AUDIENCE = 'algorhythm-support-mcp';
export const TOKEN_ISSUER = 'algorhythm-agent-host';
export const MIN_SECRET_BYTES = 32;
export const DEFAULT_TOKEN_TTL_SECONDS = 900;

export type CustomerTokenClaims = { customerId: number; expiresAt: number };

export class InvalidCustomerTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidCustomerTokenError';
  }
}

function secretKey(secret: string): Uint8Array {
  const key = new TextEncoder().encode(secret);
  if (key.length < MIN_SECRET_BYTES) {
    throw new RangeError(`SUPPORT_TOKEN_SECRET must be at least ${MIN_SECRET_BYTES} bytes long`);
  }
  return key;
}

/**
 * Mints the bearer token the agent host sends to the support server over HTTP: an HS256 JWT with
 * `sub` = the customer id, audience `algorhythm-support-mcp`, and an expiry. The secret is the one
 * the server reads from `SUPPORT_TOKEN_SECRET` (at least 32 bytes).
 */
export async function mintCustomerToken({
  customerId,
  secret,
  ttlSeconds = DEFAULT_TOKEN_TTL_SECONDS,
  now = new Date(),
  sessionId,
}: {
  customerId: number;
  secret: string;
  ttlSeconds?: number;
  /** Goes into `jti`: two sessions of one customer get distinct tokens (the service reads only `sub`). */
  sessionId?: string;
  /** Issue time; tests use it to mint already-expired tokens. */
  now?: Date;
}): Promise<string> {
  if (!Number.isSafeInteger(customerId) || customerId <= 0) {
    throw new RangeError(`customerId must be a positive integer (got ${customerId})`);
  }
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) throw new RangeError('ttlSeconds must be positive');
  const issuedAt = Math.floor(now.getTime() / 1000);
  const jwt = new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(String(customerId))
    .setAudience(TOKEN_AUDIENCE)
    .setIssuer(TOKEN_ISSUER)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + Math.ceil(ttlSeconds));
  return (sessionId ? jwt.setJti(sessionId) : jwt).sign(secretKey(secret));
}

/** Verifies signature, algorithm, audience, issuer and expiry; returns the customer id. Throws `InvalidCustomerTokenError`. */
export async function verifyCustomerToken(
  token: string,
  secret: string,
  { now }: { now?: Date } = {},
): Promise<CustomerTokenClaims> {
  try {
    const { payload } = await jwtVerify(token, secretKey(secret), {
      algorithms: ['HS256'],
      audience: TOKEN_AUDIENCE,
      issuer: TOKEN_ISSUER,
      requiredClaims: ['sub', 'exp'],
      ...(now ? { currentDate: now } : {}),
    });
    const customerId = Number(payload.sub);
    if (!/^[1-9][0-9]{0,9}$/.test(payload.sub ?? '') || !Number.isSafeInteger(customerId)) {
      throw new InvalidCustomerTokenError('token subject is not a customer id');
    }
    return { customerId, expiresAt: payload.exp as number };
  } catch (error) {
    if (error instanceof InvalidCustomerTokenError || error instanceof RangeError) throw error;
    if (error instanceof errors.JWTExpired) throw new InvalidCustomerTokenError('token expired');
    if (error instanceof errors.JOSEError) throw new InvalidCustomerTokenError(`invalid token (${error.code})`);
    throw error;
  }
}
