import { requireBearerAuth, type AuthInfo, type OAuthTokenVerifier } from '@modelcontextprotocol/server';
import type { MiddlewareHandler } from 'hono';

declare module 'hono' {
  interface ContextVariableMap {
    /** The verified bearer token, set by `bearerAuth`. */
    authInfo: AuthInfo;
  }
}

/** Every request must carry a bearer token the verifier accepts; anything else gets the SDK's 401 challenge. */
export function bearerAuth({ verifier }: { verifier: OAuthTokenVerifier }): MiddlewareHandler {
  const gate = requireBearerAuth({ verifier });
  return async function bearerAuth(c, next) {
    const auth = await gate(c.req.raw);
    if (auth instanceof Response) return auth;
    c.set('authInfo', auth);
    await next();
  };
}
