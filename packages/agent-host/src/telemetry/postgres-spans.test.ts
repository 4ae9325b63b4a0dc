import { SpanKind } from '@opentelemetry/api';
import { ATTR, SERVICE } from '@algorhythm/telemetry';
import { startTestTelemetry, type TestTelemetry } from '@algorhythm/telemetry/testing/test-telemetry';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hostTelemetryOf } from './host-telemetry.ts';
import type { RunningHost } from '../compose.ts';
import { makeDataDir, startTestHost, TestClient } from '../testing/host-harness.ts';
import { useTestPostgres } from '../testing/postgres.ts';

/** The host on PostgreSQL exports `db.*` spans for its store's queries, inside the request's trace. */

const server = useTestPostgres();
let testTelemetry: TestTelemetry;
let host: RunningHost;
let data: { dir: string; remove: () => void };

beforeAll(async () => {
  testTelemetry = await startTestTelemetry(SERVICE.agentHost, { OTEL_BSP_SCHEDULE_DELAY: '50' });
  const postgres = await server();
  data = makeDataDir();
  const { telemetry, env } = testTelemetry;
  host = await startTestHost(
    data.dir,
    { ...env, DATABASE_URL: await postgres.createDatabase('spans'), TRACE_STORE: 'off' },
    { telemetry: hostTelemetryOf(telemetry, false) },
  );
});

afterAll(async () => {
  await host?.close();
  data?.remove();
  await testTelemetry?.close();
});

it('puts a CLIENT span on each PostgreSQL query of a chat turn, named and attributed like the SQLite ones', async () => {
  const client = new TestClient(host.url);
  await client.login(1);
  await client.chat('Show me albums by AC/DC');
  const spans = await testTelemetry.receiver.waitFor((all) =>
    all.some((s) => s.name === 'INSERT message' && all.some((r) => r.name === 'POST /api/chat' && r.traceId === s.traceId)),
  );
  const request = spans.find((r) => r.name === 'POST /api/chat' && spans.some((s) => s.name === 'INSERT message' && s.traceId === r.traceId))!;
  const insert = spans.find((s) => s.name === 'INSERT message' && s.traceId === request.traceId)!;
  expect(insert.kind).toBe(SpanKind.CLIENT);
  expect(insert.attributes).toMatchObject({
    [ATTR.dbSystemName]: 'postgresql',
    [ATTR.dbOperationName]: 'INSERT',
    [ATTR.dbCollectionName]: 'message',
    'db.namespace': 'spans',
    [ATTR.serverAddress]: '127.0.0.1',
  });
  const select = spans.find((s) => s.name === 'SELECT message' && s.traceId === insert.traceId);
  expect(select?.attributes[ATTR.dbResponseReturnedRows]).toBe(0); // the history of a new conversation
  const db = spans.filter((s) => s.attributes[ATTR.dbSystemName] === 'postgresql');
  // Never the parameters (message text, customer data); no connect spans.
  expect(db.every((s) => !('db.postgresql.values' in s.attributes))).toBe(true);
  expect(db.some((s) => s.name.startsWith('pg.'))).toBe(false);
  // Start-up (migrations) runs outside any request: not traced.
  expect(db.some((s) => String(s.attributes['db.query.text']).includes('host_migrations'))).toBe(false);
});
