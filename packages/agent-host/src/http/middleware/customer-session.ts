import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import { createVerifiedCache } from '@algorhythm/mcp-kit/verified-cache';
import { AppError } from '../../errors.ts';
import type { AdminIdentity } from './admin-auth.ts';

declare module 'hono' {
  interface ContextVariableMap {
    customerId: number;
    admin: AdminIdentity;
  }
}

export const SESSION_COOKIE = 'algorhythm_session';
const SESSION_SECONDS = 7 * 24 * 3600;

export interface SessionOptions {
  secret: string;
  secure: boolean;
}

export const DEFAULT_MAX_CACHED_SESSIONS = 10_000;

interface VerifiedSession {
  customerId: number;
  /** Epoch seconds, from the signed value. */
  expiresAt: number;
}

/**
 * Session cookies whose HMAC verified (`createVerifiedCache`): a signed-in customer sends the same cookie with every
 * request, and checking its signature (WebCrypto) each time is a few percent of a turn's CPU. An entry is never
 * used past its expiry. One cache per `SessionOptions` object, so a different secret never sees another's entries.
 */
export function createVerifiedSessionCache({ maxEntries = DEFAULT_MAX_CACHED_SESSIONS, now = () => Date.now() }: { maxEntries?: number; now?: () => number } = {}) {
  return createVerifiedCache<VerifiedSession>({ live: (session, nowMs) => session.expiresAt * 1000 >= nowMs, maxEntries, now });
}

const verifiedSessions = new WeakMap<SessionOptions, ReturnType<typeof createVerifiedSessionCache>>();

/** The cache `readCustomerId` uses for these options (tests look at its size). */
export function verifiedSessionCacheOf(options: SessionOptions) {
  let cache = verifiedSessions.get(options);
  if (!cache) verifiedSessions.set(options, (cache = createVerifiedSessionCache()));
  return cache;
}

/** The customer comes only from this signed, HttpOnly cookie: `customerId.expiresAt`, HMAC-signed by Hono. */
export async function readCustomerId(c: Context, options: SessionOptions): Promise<number | undefined> {
  const raw = getCookie(c, SESSION_COOKIE);
  if (!raw) return undefined;
  const cache = verifiedSessionCacheOf(options);
  const cached = cache.get(raw);
  if (cached) return cached.customerId;
  const value = await getSignedCookie(c, options.secret, SESSION_COOKIE);
  if (!value) return undefined;
  const match = /^(\d{1,9})\.(\d{1,12})$/.exec(value);
  if (!match) return undefined;
  const session = { customerId: Number(match[1]), expiresAt: Number(match[2]) };
  if (session.expiresAt * 1000 < Date.now()) return undefined;
  cache.set(raw, session);
  return session.customerId;
}

export function customerSession(options: SessionOptions): MiddlewareHandler {
  return async function requireCustomer(c, next) {
    const customerId = await readCustomerId(c, options);
    if (customerId === undefined) throw new AppError('unauthorized', 'Sign in first.');
    c.set('customerId', customerId);
    await next();
  };
}

export async function startSession(c: Context, options: SessionOptions, customerId: number) {
  const expires = Math.floor(Date.now() / 1000) + SESSION_SECONDS;
  await setSignedCookie(c, SESSION_COOKIE, `${customerId}.${expires}`, options.secret, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: options.secure,
    path: '/',
    maxAge: SESSION_SECONDS,
  });
}

export function endSession(c: Context) {
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}
