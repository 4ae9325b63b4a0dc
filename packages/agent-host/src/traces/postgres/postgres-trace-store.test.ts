import { createRequire } from 'node:module';
import { trace } from '@opentelemetry/api';
import { ATTR, SERVICE } from '@algorhythm/telemetry';
import { startTestTelemetry } from '@algorhythm/telemetry/testing/test-telemetry';
import { expect, it } from 'vitest';
import { instrumentPostgres } from '../../telemetry/pg-instrumentation.ts';
import { useTestPostgres } from '../../testing/postgres.ts';
import { overviewRange } from '../overview-window.ts';
import type { SpanRecord } from '../span-record.ts';
import { traceStoreContract } from '../trace-store-contract.ts';
import { openPostgresTraceStore } from './postgres-trace-store.ts';

const server = useTestPostgres();
const DAY = 86_400_000;

traceStoreContract('PostgreSQL', async () => {
  const postgres = await server();
  const url = await postgres.createDatabase();
  return {
    open: (options) => openPostgresTraceStore({ url, ...options }),
    drop: () => postgres.dropDatabase(url),
  };
});

const span = (traceId: string, atMs: number): SpanRecord => ({
  traceId,
  spanId: '0000000000000001',
  parentSpanId: undefined,
  service: 'algorhythm-agent-host',
  name: 'POST /api/chat',
  kind: 1,
  startNs: BigInt(atMs) * 1_000_000n,
  endNs: BigInt(atMs + 5) * 1_000_000n,
  statusCode: 0,
  statusMessage: undefined,
  attributes: {},
  events: [],
});

it('puts no span on its own queries, even inside a request span with the pg instrumentation on', async () => {
  const testTelemetry = await startTestTelemetry(SERVICE.agentHost, { OTEL_BSP_SCHEDULE_DELAY: '50' });
  const postgres = await server();
  const url = await postgres.createDatabase();
  try {
    await instrumentPostgres();
    const store = await openPostgresTraceStore({ url, retention: { maxAgeMs: DAY, maxBytes: 1e9 }, pruneEveryMs: 3_600_000 });
    const pg = createRequire(import.meta.url)('pg') as typeof import('pg');
    const control = new pg.Pool({ connectionString: url, max: 1 });
    try {
      const tracer = testTelemetry.telemetry.tracer;
      await tracer.startActiveSpan('POST /v1/traces', async (request) => {
        const id = 'a'.repeat(32);
        await store.write([span(id, Date.now()), span('b'.repeat(32), Date.now() - 2 * DAY)]);
        await store.list({ limit: 10 });
        await store.get(id);
        await store.overview(overviewRange('1h', Date.now()));
        await store.usedBytes();
        await store.prune();
        // The instrumentation is on: the same kind of query on another pool is traced.
        await control.query('SELECT count(*) FROM span');
        expect(trace.getActiveSpan()).toBe(request);
        request.end();
      });
      const spans = await testTelemetry.receiver.waitFor((all) => all.some((s) => s.name === 'POST /v1/traces') && all.some((s) => s.name === 'SELECT span'));
      const db = spans.filter((s) => s.attributes[ATTR.dbSystemName] === 'postgresql');
      expect(db.map((s) => String(s.attributes['db.query.text']))).toEqual(['SELECT count(*) FROM span']);
    } finally {
      await control.end();
      await store.close();
    }
  } finally {
    await testTelemetry.close();
    await postgres.dropDatabase(url);
  }
});

it('prunes on one replica at a time: while another holds the retention lock, a pass deletes nothing', async () => {
  const postgres = await server();
  const url = await postgres.createDatabase();
  const pg = createRequire(import.meta.url)('pg') as typeof import('pg');
  const other = new pg.Client({ connectionString: url });
  const store = await openPostgresTraceStore({ url, retention: { maxAgeMs: DAY, maxBytes: 1e9 }, pruneEveryMs: 3_600_000 });
  try {
    await other.connect();
    await store.write([span('c'.repeat(32), Date.now() - 2 * DAY)]);
    await other.query(`SELECT pg_advisory_lock(hashtext('algorhythm.agent-host.trace-retention'))`);
    await store.prune();
    expect((await store.list({ limit: 10 })).traces).toHaveLength(1);
    await other.query(`SELECT pg_advisory_unlock(hashtext('algorhythm.agent-host.trace-retention'))`);
    await store.prune();
    expect((await store.list({ limit: 10 })).traces).toHaveLength(0);
  } finally {
    await other.end();
    await store.close();
    await postgres.dropDatabase(url);
  }
});

it('migrates once when three replicas open together on an empty database', async () => {
  const postgres = await server();
  const url = await postgres.createDatabase();
  const retention = { maxAgeMs: DAY, maxBytes: 1e9 };
  const stores = await Promise.all([1, 2, 3].map(() => openPostgresTraceStore({ url, retention, pruneEveryMs: 3_600_000 })));
  const pg = createRequire(import.meta.url)('pg') as typeof import('pg');
  const client = new pg.Client({ connectionString: url });
  try {
    await Promise.all(stores.map((store) => store.list({ limit: 1 })));
    await client.connect();
    const { rows } = await client.query<{ version: number }>('SELECT version FROM trace_migrations ORDER BY version');
    expect(rows.map((row) => row.version)).toEqual([1]);
  } finally {
    await client.end();
    for (const store of stores) await store.close();
    await postgres.dropDatabase(url);
  }
});
