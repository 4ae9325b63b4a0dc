import type { Context } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import type { PendingSignIn } from './oidc-sign-in.ts';

const PENDING_SECONDS = 600;

/**
 * The PKCE verifier, state and nonce of a sign-in under way, in a signed HttpOnly cookie scoped to `/auth`:
 * nothing is kept on the server, so the callback may land on any replica. SameSite=Lax, because the provider
 * sends the browser back with a top-level GET.
 */
export function pendingCookie(name: string, options: { secret: string; secure: boolean }) {
  return {
    async save(c: Context, pending: PendingSignIn): Promise<void> {
      const value = Buffer.from(JSON.stringify({ ...pending, exp: Date.now() + PENDING_SECONDS * 1000 })).toString('base64url');
      await setSignedCookie(c, name, value, options.secret, {
        httpOnly: true,
        sameSite: 'Lax',
        secure: options.secure,
        path: '/auth',
        maxAge: PENDING_SECONDS,
      });
    },
    /** The pending sign-in, once: the cookie is cleared whatever it held. */
    async take(c: Context): Promise<PendingSignIn | undefined> {
      const value = await getSignedCookie(c, options.secret, name);
      deleteCookie(c, name, { path: '/auth' });
      if (!value) return undefined;
      try {
        const parsed = JSON.parse(Buffer.from(value, 'base64url').toString()) as PendingSignIn & { exp: number };
        if (typeof parsed.exp !== 'number' || parsed.exp < Date.now()) return undefined;
        return { verifier: parsed.verifier, state: parsed.state, nonce: parsed.nonce, returnTo: safeReturnTo(parsed.returnTo) };
      } catch {
        return undefined;
      }
    },
  };
}

/** Only a path on this host: an open redirect through the sign-in would hand a phishing page our name. */
export function safeReturnTo(value: unknown, fallback = '/'): string {
  return typeof value === 'string' && /^\/(?![/\\])[\w\-./?=&%]*$/.test(value) ? value : fallback;
}
