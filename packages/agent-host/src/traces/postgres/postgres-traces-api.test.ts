import pg from 'pg';
import { ATTR, SERVICE } from '@algorhythm/telemetry';
import { startTelemetry, type Telemetry } from '@algorhythm/telemetry/setup';
import { startOtlpReceiver, type OtlpReceiver } from '@algorhythm/telemetry/testing/otlp-receiver';
import type { TraceDetailResponse, TraceListResponse } from '@algorhythm/web/schemas';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hostTelemetryOf } from '../../telemetry/host-telemetry.ts';
import type { RunningHost } from '../../compose.ts';
import { ADMIN_TOKEN, makeDataDir, startTestHost, TestClient } from '../../testing/host-harness.ts';
import { useTestPostgres } from '../../testing/postgres.ts';
import { waitFor } from '../../testing/wait.ts';
import { createSpanSink } from '../span-sink.ts';

/**
 * Two host replicas on one PostgreSQL (DATABASE_URL): a turn on one, its spans (the host's own and the catalog
 * server's, through its /v1/traces) stored in PostgreSQL, and listed by the other replica's /admin/traces.
 */

const server = useTestPostgres();
let receiver: OtlpReceiver;
let telemetry: Telemetry;
let hosts: RunningHost[] = [];
let data: { dir: string; remove: () => void };
let db: pg.Pool;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '50' };
  for (const [key, value] of Object.entries(otel)) {
    saved[key] = process.env[key];
    process.env[key] = value;
  }
  const sink = createSpanSink({ delayMs: 20 });
  telemetry = await startTelemetry({ serviceName: SERVICE.agentHost, env: process.env, localSpanProcessors: [sink.processor] });
  const databaseUrl = await (await server()).createDatabase();
  data = makeDataDir();
  const env = { DATABASE_URL: databaseUrl };
  hosts.push(
    await startTestHost(data.dir, { ...env, ...otel }, { spanSink: sink, telemetry: hostTelemetryOf(telemetry, false) }),
    await startTestHost(data.dir, env),
  );
  db = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  // The test server stops after this file; an idle connection it terminates must not be an uncaught error.
  db.on('error', () => {});
});

afterAll(async () => {
  await Promise.all(hosts.map((host) => host.close()));
  hosts = [];
  await telemetry?.shutdown();
  await receiver?.close();
  await db?.end();
  data?.remove();
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

async function api<T>(host: RunningHost, path: string): Promise<T> {
  const response = await fetch(`${host.url}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

it('stores a turn on one replica in PostgreSQL, and the other replica lists it with the catalog server’s spans', async () => {
  const [a, b] = hosts as [RunningHost, RunningHost];
  const client = new TestClient(a.url);
  await client.login(1);
  const { done } = await client.chat('Show me albums by AC/DC');
  const conversationId = String(done.conversationId);

  const row = await waitFor(async () => {
    const { traces } = await api<TraceListResponse>(b, `/api/admin/traces?conversationId=${conversationId}`);
    const found = traces.find((t) => t.rootName === 'POST /api/chat');
    return found?.services.includes(SERVICE.catalogMcp) && found.tools.length > 0 ? found : undefined;
  });
  expect(row.agents).toEqual(expect.arrayContaining(['supervisor', 'music_expert']));
  expect(row.tools).toContain('get_albums_by_artist');
  expect((await api<TraceListResponse>(a, `/api/admin/traces?conversationId=${conversationId}`)).traces.map((t) => t.traceId)).toContain(row.traceId);

  const detail = await api<TraceDetailResponse>(b, `/api/admin/traces/${row.traceId}`);
  expect(new Set(detail.spans.map((s) => s.service))).toEqual(new Set([SERVICE.agentHost, SERVICE.catalogMcp]));
  // Read after the detail: spans still arriving may add rows, never take one away.
  const stored = await db.query<{ span_id: string }>('SELECT span_id FROM span WHERE trace_id = $1', [row.traceId]);
  expect(stored.rows.map((r) => r.span_id)).toEqual(expect.arrayContaining(detail.spans.map((s) => s.spanId)));

  // The host's PostgreSQL queries are traced (its conversations), the span store's are not.
  const exported = await receiver.waitFor((spans) => spans.some((s) => s.traceId === row.traceId && s.name === 'INSERT message'));
  const collections = new Set(exported.filter((s) => s.attributes[ATTR.dbSystemName] === 'postgresql').map((s) => s.attributes[ATTR.dbCollectionName]));
  expect(collections.has('message')).toBe(true);
  expect([...collections].filter((c) => c === 'span' || c === 'trace')).toEqual([]);
});
