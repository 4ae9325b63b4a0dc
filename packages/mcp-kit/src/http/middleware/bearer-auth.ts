import { requireBearerAuth, type AuthInfo, type OAuthTokenVerifier } from '@modelcontextprotocol/server';

/** Every request must carry a bearer token the verifier accepts; anything else gets the SDK's 401 challenge (a `Response`). */
export function bearerAuth({ verifier }: { verifier: OAuthTokenVerifier }): (request: Request) => Promise<AuthInfo | Response> {
  return requireBearerAuth({ verifier });
}
