import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
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

/** The customer comes only from this signed, HttpOnly cookie: `customerId.expiresAt`, HMAC-signed by Hono. */
export async function readCustomerId(c: Context, options: SessionOptions): Promise<number | undefined> {
  const value = await getSignedCookie(c, options.secret, SESSION_COOKIE);
  if (!value) return undefined;
  const match = /^(\d{1,9})\.(\d{1,12})$/.exec(value);
  if (!match) return undefined;
  if (Number(match[2]) * 1000 < Date.now()) return undefined;
  return Number(match[1]);
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
