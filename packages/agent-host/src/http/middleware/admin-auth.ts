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

/** Who is acting as admin: the subject an identity provider vouched for, or the shared token's service identity. */
export interface AdminIdentity {
  subject: string;
  name: string;
}

/** `ADMIN_TOKEN` is a service identity (demo mode, scripts), never a person's name typed into a form. */
export const TOKEN_IDENTITY: AdminIdentity = { subject: 'service:admin-token', name: 'Admin token' };

/** How an admin is written on a decision and in the ledger: the display name and the subject it belongs to. */
export function approverLabel(admin: AdminIdentity): string {
  // The ledger takes at most 200 characters (support-mcp's answered-by rule).
  return `${admin.name.slice(0, 60)} <${admin.subject.slice(0, 128)}>`;
}

export function tokenMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Admin routes: `Authorization: Bearer $ADMIN_TOKEN` (scripts), or the signed admin cookie set by a sign-in. */
export function adminAuth(options: AdminOptions): MiddlewareHandler {
  return async function requireAdmin(c, next) {
    const header = c.req.header('authorization');
    if (header) {
      const match = /^Bearer\s+(.+)$/i.exec(header);
      if (!match || !tokenMatches(options.token, match[1]!.trim())) throw new AppError('unauthorized', 'Invalid admin token.');
      c.set('admin', TOKEN_IDENTITY);
      return next();
    }
    const identity = await readAdminCookie(c, options);
    if (!identity) throw new AppError('unauthorized', 'Admin sign-in required.');
    c.set('admin', identity);
    return next();
  };
}

async function readAdminCookie(c: Context, options: AdminOptions): Promise<AdminIdentity | undefined> {
  const cookie = await getSignedCookie(c, options.secret, ADMIN_COOKIE);
  const match = cookie ? /^(\d{1,12})\.([\w-]{1,800})\.([\w-]{1,300})$/.exec(cookie) : null;
  if (!match || Number(match[1]) * 1000 < Date.now()) return undefined;
  const text = (part: string) => Buffer.from(part, 'base64url').toString();
  return { subject: text(match[2]!), name: text(match[3]!) };
}

export async function startAdminSession(c: Context, options: AdminOptions, admin: AdminIdentity) {
  const expires = Math.floor(Date.now() / 1000) + ADMIN_SECONDS;
  const part = (text: string) => Buffer.from(text).toString('base64url');
  const value = `${expires}.${part(admin.subject.slice(0, 400))}.${part(admin.name.slice(0, 120))}`;
  await setSignedCookie(c, ADMIN_COOKIE, value, options.secret, {
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
