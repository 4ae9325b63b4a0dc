import { randomBytes } from 'node:crypto';
import type { Tracer } from '@opentelemetry/api';
import type { Config } from '../config.ts';
import { createCustomerTokens } from './customer-tokens.ts';
import { keepAliveFetch } from './keep-alive-fetch.ts';
import { createMcpConnection, type McpConnectionOptions, type McpConnection } from './mcp-connection.ts';
import { inProcessService, IN_PROCESS_URL, type InProcessService } from './in-process-service.ts';
import { createServiceProcess, type ServiceProcess } from './service-process.ts';
import { createSharedSupport } from './shared-support.ts';
import { createSupportPool, type SupportPool } from './support-pool.ts';
import { supportServiceStorage, supportStorage } from './support-storage.ts';
import { httpTransport, stdioTransport } from './transports.ts';

export interface SupportTopology {
  pool: SupportPool;
  /** Starts the service the host runs for everyone now rather than at the first call (nothing for the other layouts). */
  start(): Promise<void>;
  /** The shared service's child process (`SUPPORT_MCP_MODE=process`). */
  service?: ServiceProcess;
}

/**
 * Where the support tools live, from the config:
 * - `SUPPORT_MCP_URL` set: that service (run by someone else), one connection, a token per customer.
 * - default (`SUPPORT_MCP_MODE=in-process`): ONE support service for every customer inside the host, its stateless
 *   HTTP face called without a socket, a token per customer signed with a secret made up at each start.
 * - `SUPPORT_MCP_MODE=process`: the same ONE service as a child process over HTTP on 127.0.0.1 (port chosen by the
 *   OS), the secret given to it alone.
 *   Either way its data is the SQLite copy, or with DATABASE_URL the replicas' shared PostgreSQL (support-storage.ts;
 *   the host loaded Chinook there first, `prepareSupportStorage`).
 * - `SUPPORT_MCP_MODE=stdio-per-customer`: the former layout, a stdio child per signed-in customer (`--customer-id`),
 *   kept for the benchmark's comparison.
 */
export function createSupportTopology({
  config,
  nodeArgs,
  childEnv,
  traced,
  connectionOptions,
  log = (line) => console.error(line),
  tracerFor,
}: {
  config: Config;
  /** How `node` starts the support server (`serverStart('support')`), asked only when the host starts it. */
  nodeArgs: () => string[];
  childEnv: () => Record<string, string>;
  traced: (connection: McpConnection) => McpConnection;
  connectionOptions?: Partial<McpConnectionOptions>;
  log?: (line: string) => void;
  /** The host's recording tracer for an in-process service; absent: no service spans. */
  tracerFor?: (serviceName: string, serviceVersion: string) => Tracer;
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
    return { pool, start: async () => {} };
  }

  const secret = config.support.url ? config.support.tokenSecret! : randomBytes(32).toString('base64url');
  const tokens = createCustomerTokens({ secret });
  const external = config.support.url;
  const inProcess: InProcessService | undefined =
    !external && config.support.mode === 'in-process'
      ? inProcessService(async () => {
          const { openInProcessSupport } = await import('@algorhythm/support-mcp/in-process');
          return openInProcessSupport({
            storage: supportServiceStorage(config),
            tokenSecret: secret,
            approvalTtlSeconds: config.approvalTtlMs / 1000,
            log: (line) => log(`support-mcp: ${line}`),
            ...(tracerFor ? { tracerFor } : {}),
          });
        })
      : undefined;
  // An external URL may be https and behind a proxy: the global fetch (undici, keep-alive too) serves it.
  const http = external || inProcess ? undefined : keepAliveFetch({ target: () => service!.url(), retarget: (stale) => service!.restart(stale) });
  const storage = external || inProcess ? undefined : supportStorage(config);
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
        transport: inProcess ? 'inproc' : 'tcp',
        // The URL only names the endpoint: `fetch` sends each request to wherever the service is now.
        createTransport: () => httpTransport(external ?? (inProcess ? IN_PROCESS_URL : 'http://127.0.0.1/mcp'), bearer, inProcess?.fetch ?? http?.fetch),
      }),
  });
  return {
    pool: {
      ...pool,
      async close() {
        await pool.close();
        http?.close();
        await service?.close();
        await inProcess?.close();
      },
    },
    start: async () => void (await (inProcess?.open() ?? service?.url())),
    ...(service ? { service } : {}),
  };
}
