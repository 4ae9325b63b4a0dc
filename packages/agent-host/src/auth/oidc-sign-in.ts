import * as oidc from 'openid-client';
import type { OidcClientSettings } from './auth-config.ts';

/** What the browser carries between leaving for the provider and coming back (in a signed, short-lived cookie). */
export interface PendingSignIn {
  verifier: string;
  state: string;
  nonce: string;
  /** Where to go once signed in: a path on this host. */
  returnTo: string;
}

export interface OidcSignIn {
  /** The provider's authorization URL (code + PKCE S256 + state + nonce) and what to keep until the callback. */
  start(returnTo: string): Promise<{ url: URL; pending: PendingSignIn }>;
  /** Exchanges the code the callback carries, checking state, nonce and the ID token; the ID token's claims. */
  finish(callbackUrl: URL, pending: PendingSignIn): Promise<Record<string, unknown>>;
}

/**
 * OpenID Connect authorization code flow with PKCE through `openid-client` (certified): discovery once
 * (retried on the next sign-in if the provider was down), `client_secret_basic` at the token endpoint.
 * Plain-http issuers are accepted only on loopback addresses (a provider on this machine, as in tests).
 */
export function createOidcSignIn(settings: OidcClientSettings): OidcSignIn {
  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = () => {
    discovered ??= oidc
      .discovery(settings.issuer, settings.clientId, settings.clientSecret, undefined, {
        ...(isLoopbackHttp(settings.issuer) ? { execute: [oidc.allowInsecureRequests] } : {}),
        timeout: 5,
      })
      .catch((error: unknown) => {
        discovered = undefined;
        throw error;
      });
    return discovered;
  };
  return {
    async start(returnTo) {
      const config = await configuration();
      const pending: PendingSignIn = {
        verifier: oidc.randomPKCECodeVerifier(),
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        returnTo,
      };
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUri.href,
        scope: 'openid profile email',
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
      });
      return { url, pending };
    },
    async finish(callbackUrl, pending) {
      const config = await configuration();
      // The provider redirected to our registered URI: check against that, whatever Host header a proxy sent.
      const current = new URL(settings.redirectUri);
      current.search = callbackUrl.search;
      const tokens = await oidc.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      return { ...(tokens.claims() ?? {}) };
    },
  };
}

function isLoopbackHttp(url: URL): boolean {
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}
