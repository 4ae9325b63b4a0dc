import { randomBytes } from 'node:crypto';
import type { FetchLike } from '@modelcontextprotocol/client';
import type { Tracer } from '@opentelemetry/api';
import type { Config } from '../config.ts';
import { createCustomerTokens } from './customer-tokens.ts';
import { keepAliveFetch } from './keep-alive-fetch.ts';
import { createMcpConnection, type McpConnectionOptions, type McpConnection, type McpTransportKind } from './mcp-connection.ts';
import { inProcessService, IN_PROCESS_URL } from './in-process-service.ts';
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
  const endpoint: SupportEndpoint = config.support.url
    ? // An external URL may be https and behind a proxy: the global fetch (undici, keep-alive too) serves it.
      { url: config.support.url, transport: 'tcp', start: async () => {}, close: async () => {} }
    : config.support.mode === 'in-process'
      ? inProcessEndpoint(config, secret, log, tracerFor)
      : childEndpoint(config, secret, nodeArgs(), childEnv);
  const pool = createSharedSupport({
    tokenFor: (customerId) => tokens.tokenFor(customerId),
    prune: () => tokens.prune(),
    connect: (bearer) =>
      connection({ transport: endpoint.transport, createTransport: () => httpTransport(endpoint.url, bearer, endpoint.fetch) }),
  });
  return {
    pool: {
      ...pool,
      async close() {
        await pool.close();
        await endpoint.close();
      },
    },
    start: endpoint.start,
    ...(endpoint.service ? { service: endpoint.service } : {}),
  };
}

/** Where the one shared support service answers: the URL the SDK client names and the fetch that reaches it. */
interface SupportEndpoint {
  url: string;
  /** Absent: the global fetch. */
  fetch?: FetchLike;
  transport: McpTransportKind;
  start(): Promise<void>;
  close(): Promise<void>;
  service?: ServiceProcess;
}

function inProcessEndpoint(
  config: Config,
  tokenSecret: string,
  log: (line: string) => void,
  tracerFor: ((serviceName: string, serviceVersion: string) => Tracer) | undefined,
): SupportEndpoint {
  const service = inProcessService(async () => {
    const { openInProcessSupport } = await import('@algorhythm/support-mcp/in-process');
    return openInProcessSupport({
      storage: supportServiceStorage(config),
      tokenSecret,
      approvalTtlSeconds: config.approvalTtlMs / 1000,
      log: (line) => log(`support-mcp: ${line}`),
      ...(tracerFor ? { tracerFor } : {}),
    });
  });
  return { url: IN_PROCESS_URL, fetch: service.fetch, transport: 'inproc', start: service.open, close: service.close };
}

function childEndpoint(config: Config, tokenSecret: string, nodeArgs: string[], childEnv: () => Record<string, string>): SupportEndpoint {
  const storage = supportStorage(config);
  const service: ServiceProcess = createServiceProcess({
    label: 'support',
    nodeArgs,
    args: ['--http', '--host', '127.0.0.1', '--port', '0', ...storage.args],
    env: () => ({ ...childEnv(), ...storage.env, SUPPORT_TOKEN_SECRET: tokenSecret }),
    onExit: () => http.dropIdle(),
  });
  const http = keepAliveFetch({ target: () => service.url(), retarget: (stale) => service.restart(stale) });
  return {
    // The URL only names the endpoint: `http.fetch` sends each request to wherever the child listens now.
    url: 'http://127.0.0.1/mcp',
    fetch: http.fetch,
    transport: 'tcp',
    start: async () => void (await service.url()),
    async close() {
      http.close();
      await service.close();
    },
    service,
  };
}
