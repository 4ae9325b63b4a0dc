import { OAuthError, OAuthErrorCode, type AuthInfo, type OAuthTokenVerifier } from '@modelcontextprotocol/server';
import type { SupportStore } from '../store/support-store.ts';
import { InvalidCustomerTokenError, verifyCustomerToken } from './customer-token.ts';
import { createVerifiedTokenCache } from './verified-token-cache.ts';

export const SUPPORT_SCOPE = 'support';

/**
 * The verifier `requireBearerAuth` runs on every HTTP request: a valid customer token for a
 * customer that exists becomes `AuthInfo` with `extra.customerId`, which the tools read through
 * `ctx.http.authInfo`. Everything else is `invalid_token` (401). A token that verified is remembered
 * until its expiry (`createVerifiedTokenCache`): the same token on the next call costs a Map lookup.
 */
export function customerTokenVerifier({
  secret,
  store,
  cache = createVerifiedTokenCache(),
}: {
  secret: string;
  store: Pick<SupportStore, 'findCustomer'>;
  cache?: ReturnType<typeof createVerifiedTokenCache>;
}): OAuthTokenVerifier {
  return {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      const cached = cache.get(token);
      if (cached) return cached;
      try {
        const { customerId, expiresAt } = await verifyCustomerToken(token, secret);
        if (!(await store.findCustomer(customerId))) throw new InvalidCustomerTokenError('unknown customer');
        const info: AuthInfo = {
          token,
          clientId: `customer:${customerId}`,
          scopes: [SUPPORT_SCOPE],
          expiresAt,
          extra: { customerId },
        };
        cache.set(token, info);
        return info;
      } catch (error) {
        if (error instanceof InvalidCustomerTokenError) throw new OAuthError(OAuthErrorCode.InvalidToken, error.message);
        throw error;
      }
    },
  };
}
