import { OAuthError, OAuthErrorCode, type AuthInfo, type OAuthTokenVerifier } from '@modelcontextprotocol/server';
import { findCustomer } from '../customers/customer-lookup.ts';
import type { SupportDb } from '../db/open-db.ts';
import { InvalidCustomerTokenError, verifyCustomerToken } from './customer-token.ts';

export const SUPPORT_SCOPE = 'support';

/**
 * The verifier `requireBearerAuth` runs on every HTTP request: a valid customer token for a
 * customer that exists becomes `AuthInfo` with `extra.customerId`, which the tools read through
 * `ctx.http.authInfo`. Everything else is `invalid_token` (401).
 */
export function customerTokenVerifier({ secret, db }: { secret: string; db: SupportDb }): OAuthTokenVerifier {
  return {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      try {
        const { customerId, expiresAt } = await verifyCustomerToken(token, secret);
        if (!findCustomer(db, customerId)) throw new InvalidCustomerTokenError('unknown customer');
        return {
          token,
          clientId: `customer:${customerId}`,
          scopes: [SUPPORT_SCOPE],
          expiresAt,
          extra: { customerId },
        };
      } catch (error) {
        if (error instanceof InvalidCustomerTokenError) throw new OAuthError(OAuthErrorCode.InvalidToken, error.message);
        throw error;
      }
    },
  };
}
