import type { Tracer } from '@opentelemetry/api';
import type { McpHttpApp } from '@algorhythm/mcp-kit/http';
import { serviceInstruments } from '@algorhythm/mcp-kit/process';
import type { Logger } from '@algorhythm/mcp-kit';
import { NETWORK_TRANSPORT, SERVICE } from '@algorhythm/telemetry';
import { customerFromAuthInfo } from './customers/customer-binding.ts';
import { openServiceDb, prepareServiceDb, type ServiceStorage } from './db/open-service-db.ts';
import { createSupportDeps, SERVER_INFO } from './server.ts';
import { createSupportHttpHandler } from './transports/http-handler.ts';

export type { ServiceStorage } from './db/open-service-db.ts';

export interface InProcessSupportOptions {
  storage: ServiceStorage;
  /** Signs the customer bearer tokens the embedding process mints (`mintCustomerToken`). */
  tokenSecret: string;
  approvalTtlSeconds?: number;
  log: Logger;
  /** The embedding process's recording tracer for this service (its own `service.name`); absent: no spans. */
  tracerFor?: (serviceName: string, serviceVersion: string) => Tracer;
}

/**
 * The shared support service inside another process (the agent host): the same stateless Streamable HTTP face
 * `support-mcp --http` serves, a customer bound per request by the bearer token, answered by `fetch` without a
 * socket. Resolves once the database is ready to serve.
 */
export async function openInProcessSupport({ storage, tokenSecret, approvalTtlSeconds, log, tracerFor }: InProcessSupportOptions): Promise<McpHttpApp> {
  const opened = openServiceDb(storage);
  try {
    const { requestStateKey } = await prepareServiceDb(storage, opened);
    const traced = tracerFor
      ? await serviceInstruments(tracerFor(SERVICE.supportMcp, SERVER_INFO.version), opened, NETWORK_TRANSPORT.inproc)
      : { db: opened, instrument: undefined };
    const deps = createSupportDeps({
      db: traced.db,
      requestStateKey,
      ...(approvalTtlSeconds === undefined ? {} : { approvalTtlSeconds }),
      log,
      instrument: traced.instrument,
      resolveCustomer: customerFromAuthInfo,
    });
    const app = createSupportHttpHandler({ deps, tokenSecret });
    return {
      fetch: app.fetch,
      async close() {
        await app.close();
        opened.close();
      },
    };
  } catch (error) {
    opened.close();
    throw error;
  }
}
