import type { ServerContext } from '@modelcontextprotocol/server';
import { ToolError } from '@algorhythm/mcp-kit/tools';

/**
 * Which customer a request acts for. Never read from tool arguments: over stdio it is the process's
 * `--customer-id`; over HTTP it is the verified bearer token's claim (`ctx.http.authInfo.extra`).
 */
export type CustomerResolver = (ctx: ServerContext) => number | undefined;

/** stdio: one process serves one customer. */
export const fixedCustomer =
  (customerId: number): CustomerResolver =>
  () =>
    customerId;

/** HTTP: the customer id our bearer verifier put into `AuthInfo.extra.customerId`. */
export const customerFromAuthInfo: CustomerResolver = (ctx) => {
  const value = ctx.http?.authInfo?.extra?.['customerId'];
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined;
};

export function requireCustomer(resolve: CustomerResolver, ctx: ServerContext): number {
  const customerId = resolve(ctx);
  if (customerId === undefined) {
    throw new ToolError(
      'No customer is bound to this connection, so no account data can be read or changed. ' +
        'Connect with a customer (stdio: --customer-id; HTTP: a valid customer bearer token).',
    );
  }
  return customerId;
}
