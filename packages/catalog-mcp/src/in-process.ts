import type { Tracer } from '@opentelemetry/api';
import type { McpHttpApp } from '@algorhythm/mcp-kit/http';
import { serviceInstruments } from '@algorhythm/mcp-kit/process';
import type { Logger } from '@algorhythm/mcp-kit';
import { NETWORK_TRANSPORT, SERVICE } from '@algorhythm/telemetry';
import { openCatalogDb } from './db/open-catalog-db.ts';
import { createCatalogHttpApp } from './http.ts';
import { CATALOG_SERVER_INFO } from './server.ts';

export interface InProcessCatalogOptions {
  dbPath: string;
  log: Logger;
  /** The embedding process's recording tracer for this service (its own `service.name`); absent: no spans. */
  tracerFor?: (serviceName: string, serviceVersion: string) => Tracer;
}

/**
 * The catalog service inside another process (the agent host): the same stateless Streamable HTTP face
 * `catalog-mcp --http` serves, answered by `fetch` without a socket.
 */
export async function openInProcessCatalog({ dbPath, log, tracerFor }: InProcessCatalogOptions): Promise<McpHttpApp> {
  const opened = openCatalogDb(dbPath);
  const traced = tracerFor
    ? await serviceInstruments(tracerFor(SERVICE.catalogMcp, CATALOG_SERVER_INFO.version), opened, NETWORK_TRANSPORT.inproc)
    : { db: opened, instrument: undefined };
  const app = createCatalogHttpApp({ db: traced.db, log, instrument: traced.instrument });
  return {
    fetch: app.fetch,
    async close() {
      await app.close();
      opened.close();
    },
  };
}
