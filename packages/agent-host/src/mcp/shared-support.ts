import { AsyncLocalStorage } from 'node:async_hooks';
import type { McpConnection } from './mcp-connection.ts';
import type { SupportPool } from './support-pool.ts';
import { toolSourceOf } from './tool-source.ts';
import type { ToolSource } from './types.ts';

/**
 * Every customer's support tools over ONE connection to one shared support service (2026-07-28 over HTTP: each
 * request stands alone, so nothing ties the connection to a customer). The customer travels in each request's
 * bearer token: `bearer()` is what the connection's transport calls before every request, and it answers with the
 * token of the customer whose call this is, held in an AsyncLocalStorage entered by `forCustomer(id)` around the
 * call (the SDK sends a request in its caller's async context). Outside such a call there is no customer and no
 * token, so the request fails closed: the service answers 401 and reads nothing. The customer is never an argument
 * the model could set.
 */
export function createSharedSupport({
  connect,
  tokenFor,
  prune = () => 0,
}: {
  /** The one connection, given the bearer callback for its transport. */
  connect: (bearer: () => Promise<string>) => McpConnection;
  tokenFor: (customerId: number) => Promise<string>;
  /** Forgets expired tokens (the host's reaper calls `reap`). */
  prune?: () => number;
}): SupportPool {
  const customer = new AsyncLocalStorage<number>();
  const bearer = async () => {
    const customerId = customer.getStore();
    if (customerId === undefined) throw new Error('No customer is bound to this support request.');
    return tokenFor(customerId);
  };
  const shared = connect(bearer);

  const scoped = (customerId: number): McpConnection => {
    const as = <T>(work: () => Promise<T>) => customer.run(customerId, work);
    return {
      listTools: () => as(() => shared.listTools()),
      callTool: (call, options) => as(() => shared.callTool(call, options)),
      ping: () => as(() => shared.ping()),
      describe: () => shared.describe(),
      // Shared by everyone: closed with the pool, never by one customer.
      close: async () => {},
    };
  };
  const sources = new Map<number, { connection: McpConnection; source: ToolSource }>();
  const entryFor = (customerId: number) => {
    let entry = sources.get(customerId);
    if (!entry) {
      const connection = scoped(customerId);
      entry = { connection, source: toolSourceOf('support', connection) };
      sources.set(customerId, entry);
    }
    return entry;
  };

  return {
    forCustomer: (customerId) => entryFor(customerId).source,
    connectionFor: (customerId) => entryFor(customerId).connection,
    async reap() {
      // The wrappers are two closures each: kept per customer of the store; only the tokens expire.
      prune();
      return 0;
    },
    close: () => shared.close(),
  };
}
