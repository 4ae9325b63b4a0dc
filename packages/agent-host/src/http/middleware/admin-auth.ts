import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import { AppError } from '../../errors.ts';

export const ADMIN_COOKIE = 'algorhythm_admin';
const ADMIN_SECONDS = 12 * 3600;

export interface AdminOptions {
  token: string;
  secret: string;
  secure: boolean;
}

export function tokenMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Admin routes: `Authorization: Bearer $ADMIN_TOKEN`, or the signed admin cookie set by the admin sign-in. */
export function adminAuth(options: AdminOptions): MiddlewareHandler {
  return async function requireAdmin(c, next) {
    const header = c.req.header('authorization');
    if (header) {
      const match = /^Bearer\s+(.+)$/i.exec(header);
      if (!match || !tokenMatches(options.token, match[1]!.trim())) throw new AppError('unauthorized', 'Invalid admin token.');
      c.set('adminName', 'admin');
      return next();
    }
    const cookie = await getSignedCookie(c, options.secret, ADMIN_COOKIE);
    const match = cookie ? /^(\d{1,12})\.(.{1,64})$/.exec(cookie) : null;
    if (!match || Number(match[1]) * 1000 < Date.now()) throw new AppError('unauthorized', 'Admin sign-in required.');
    c.set('adminName', decodeURIComponent(match[2]!));
    return next();
  };
}

export async function startAdminSession(c: Context, options: AdminOptions, name: string) {
  const expires = Math.floor(Date.now() / 1000) + ADMIN_SECONDS;
  await setSignedCookie(c, ADMIN_COOKIE, `${expires}.${encodeURIComponent(name)}`, options.secret, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: options.secure,
    path: '/',
    maxAge: ADMIN_SECONDS,
  });
}

export function endAdminSession(c: Context) {
  deleteCookie(c, ADMIN_COOKIE, { path: '/' });
}
