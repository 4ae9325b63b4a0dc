import { randomBytes } from 'node:crypto';
import type { Config } from '../config.ts';
import { createCustomerTokens } from './customer-tokens.ts';
import { keepAliveFetch } from './keep-alive-fetch.ts';
import { createMcpConnection, type McpConnectionOptions, type McpConnection } from './mcp-connection.ts';
import { createServiceProcess, type ServiceProcess } from './service-process.ts';
import { createSharedSupport } from './shared-support.ts';
import { createSupportPool, type SupportPool } from './support-pool.ts';
import { supportStorage } from './support-storage.ts';
import { httpTransport, stdioTransport } from './transports.ts';

export interface SupportTopology {
  pool: SupportPool;
  /** The host-started shared service (default layout); absent for an external URL or stdio per customer. */
  service?: ServiceProcess;
}

/**
 * Where the support tools live, from the config:
 * - `SUPPORT_MCP_URL` set: that service (run by someone else), one connection, a token per customer.
 * - default (`SUPPORT_MCP_MODE=shared`): ONE support service process the host starts over HTTP on 127.0.0.1 (port
 *   chosen by the OS) for every customer, with a token secret made up at each start and given to it alone. Its data:
 *   the SQLite copy, or with DATABASE_URL the replicas' shared PostgreSQL (support-storage.ts; the host loaded
 *   Chinook there first, `prepareSupportStorage`).
 * - `SUPPORT_MCP_MODE=stdio-per-customer`: the former layout, a stdio child per signed-in customer (`--customer-id`),
 *   kept for the benchmark's comparison.
 */
export function createSupportTopology({
  config,
  nodeArgs,
  childEnv,
  traced,
  connectionOptions,
}: {
  config: Config;
  /** How `node` starts the support server (`serverStart('support')`), asked only when the host starts it. */
  nodeArgs: () => string[];
  childEnv: () => Record<string, string>;
  traced: (connection: McpConnection) => McpConnection;
  connectionOptions?: Partial<McpConnectionOptions>;
}): SupportTopology {
  const connection = (options: Pick<McpConnectionOptions, 'createTransport' | 'transport'>) =>
    traced(createMcpConnection({ label: 'support', requestTimeoutMs: config.mcpTimeoutMs, ...connectionOptions, ...options }));

  if (!config.support.url && config.support.mode === 'stdio-per-customer') {
    const args = nodeArgs();
    const pool = createSupportPool({
      idleMs: config.support.idleMs,
      maxSize: config.support.poolMax,
      connect: (customerId) =>
        connection({
          transport: 'pipe',
          createTransport: () => stdioTransport(args, ['--customer-id', String(customerId), '--db', config.chinookPath], childEnv()),
        }),
    });
    return { pool };
  }

  const secret = config.support.url ? config.support.tokenSecret! : randomBytes(32).toString('base64url');
  const tokens = createCustomerTokens({ secret });
  const external = config.support.url;
  // An external URL may be https and behind a proxy: the global fetch (undici, keep-alive too) serves it.
  const http = external ? undefined : keepAliveFetch({ target: () => service!.url(), retarget: (stale) => service!.restart(stale) });
  const storage = external ? undefined : supportStorage(config);
  const service = !storage
    ? undefined
    : createServiceProcess({
        label: 'support',
        nodeArgs: nodeArgs(),
        args: ['--http', '--host', '127.0.0.1', '--port', '0', ...storage.args],
        env: () => ({ ...childEnv(), ...storage.env, SUPPORT_TOKEN_SECRET: secret }),
        onExit: () => http?.dropIdle(),
      });
  const pool = createSharedSupport({
    tokenFor: (customerId) => tokens.tokenFor(customerId),
    prune: () => tokens.prune(),
    connect: (bearer) =>
      connection({
        transport: 'tcp',
        // The URL only names the endpoint: `http.fetch` sends each request to wherever the service listens now.
        createTransport: () => httpTransport(external ?? 'http://127.0.0.1/mcp', bearer, http?.fetch),
      }),
  });
  return {
    pool: {
      ...pool,
      async close() {
        await pool.close();
        http?.close();
        await service?.close();
      },
    },
    ...(service ? { service } : {}),
  };
}
