import { createRequire } from 'node:module';
import { ATTR, LIMIT, METRIC, SERVICE, SPAN_EVENT } from '@algorhythm/telemetry';
import { startTestTelemetry, type TestTelemetry } from '@algorhythm/telemetry/testing/test-telemetry';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hostTelemetryOf } from '../telemetry/host-telemetry.ts';
import type { RunningHost } from '../compose.ts';
import { makeDataDir, startTestHost } from '../testing/host-harness.ts';
import { useTestPostgres } from '../testing/postgres.ts';
import { ClientAt, sleep } from './testing/limit-client.ts';
import { pricedOfflineModel } from './testing/priced-model.ts';

/**
 * Two hosts on one PostgreSQL database, as replicas behind a balancer that appends X-Forwarded-For: every
 * count is one row both update, so N/2 requests on each use up a limit of N and the next is refused on either.
 */

const WINDOW_SECONDS = 6;
const PRICED = '(priced)';
const server = useTestPostgres();
let testTelemetry: TestTelemetry;
let a: RunningHost;
let b: RunningHost;
let databaseUrl: string;
let data: { dir: string; remove: () => void };

beforeAll(async () => {
  testTelemetry = await startTestTelemetry(SERVICE.agentHost, { OTEL_BSP_SCHEDULE_DELAY: '50' });
  databaseUrl = await (await server()).createDatabase('limits');
  data = makeDataDir();
  const model = pricedOfflineModel(PRICED);
  const env = {
    ...testTelemetry.env,
    DATABASE_URL: databaseUrl,
    TRACE_STORE: 'off',
    TRUST_PROXY: 'true',
    LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
    LIMIT_MESSAGES_PER_MINUTE: '4',
    LIMIT_SIGNINS_PER_MINUTE_PER_IP: '4',
    LIMIT_SIGNINS_PER_MINUTE_PER_CUSTOMER: '3',
    LIMIT_DAILY_BUDGET_USD: '0.004',
  };
  const { telemetry } = testTelemetry;
  const options = {
    models: { supervisor: model, music_expert: model, support_rep: model },
    telemetry: hostTelemetryOf(telemetry, false),
  };
  [a, b] = await Promise.all([startTestHost(data.dir, env, options), startTestHost(data.dir, env, options)]);
  // The first turns start the MCP servers (seconds): not inside a test's window.
  for (const host of [a, b]) {
    const warm = new ClientAt(host.url, '192.0.2.99');
    await warm.login(10);
    await warm.send('Show me albums by AC/DC');
  }
});

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  data?.remove();
  await testTelemetry?.close();
});

/** The same browser on both replicas: one cookie, one address. */
async function onBoth(customerId: number, address: string) {
  const onA = new ClientAt(a.url, address);
  expect((await onA.login(customerId)).status).toBe(200);
  const onB = new ClientAt(b.url, address);
  onB.cookie = onA.cookie;
  return { onA, onB };
}

it('created its table at start-up, before any request', async () => {
  const pg = createRequire(import.meta.url)('pg') as typeof import('pg');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ columns: string[] }>(
      `SELECT array_agg(column_name::text ORDER BY ordinal_position) AS columns FROM information_schema.columns WHERE table_name = 'rate_limit'`,
    );
    expect(rows[0]!.columns).toEqual(['key', 'points', 'expire']);
  } finally {
    await client.end();
  }
});

it('counts a customer’s messages on both replicas: two on each, the fifth refused on either, both reset together', async () => {
  const { onA, onB } = await onBoth(1, '192.0.2.1');
  const first = await onA.send('Show me albums by AC/DC');
  expect(first.status).toBe(200);
  const conversationId = first.body.conversationId!;
  for (const [client, artist] of [[onB, 'Queen'], [onA, 'Aerosmith'], [onB, 'Metallica']] as const) {
    expect((await client.send(`Show me albums by ${artist}`, conversationId)).status).toBe(200);
  }
  const before = await onA.stored();

  const refusedOnA = await onA.send('Show me albums by Iron Maiden', conversationId);
  const refusedOnB = await onB.send('Show me albums by Iron Maiden', conversationId);
  for (const refused of [refusedOnA, refusedOnB]) {
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatch(/^You are sending messages faster than the assistant answers them \(at most 4 in 6 seconds\)\. Please wait \d seconds? and try again\.$/);
    expect(refused.retryAfter).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
  }
  expect(await onB.stored()).toEqual(before);

  await sleep(Math.max(refusedOnA.retryAfter!, refusedOnB.retryAfter!) * 1000 + 100);
  expect((await onB.send('Show me albums by Iron Maiden', conversationId)).status).toBe(200);
});

it('counts sign-in attempts from one address on both replicas', async () => {
  const onA = new ClientAt(a.url, '192.0.2.2');
  const onB = new ClientAt(b.url, '192.0.2.2');
  for (const [client, customerId] of [[onA, 2], [onB, 4], [onA, 5], [onB, 6]] as const) expect((await client.login(customerId)).status).toBe(200);
  const refused = await onA.login(2);
  expect(refused.status).toBe(429);
  expect(refused.body.error).toMatch(/^Too many sign-in attempts from your network \(at most 4 in 6 seconds\)\./);
  expect((await onB.login(2)).status).toBe(429);
  // Behind the trusted proxy, another address is another count.
  expect((await new ClientAt(b.url, '192.0.2.3').login(2)).status).toBe(200);
});

it('counts an account’s sign-ins on both replicas, from any address', async () => {
  for (const [host, address] of [[a, '192.0.2.10'], [b, '192.0.2.11'], [a, '192.0.2.12']] as const) {
    expect((await new ClientAt(host.url, address).login(11)).status).toBe(200);
  }
  for (const host of [b, a]) {
    const refused = await new ClientAt(host.url, '192.0.2.13').login(11);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ error: expect.stringMatching(/^Too many sign-ins to this account \(at most 3 in 6 seconds\)\./) });
  }
});

it('shares the daily budget: a turn on one replica spends it, the next is refused on both', async () => {
  const { onA, onB } = await onBoth(3, '192.0.2.4');
  const spent = await onA.send(`Show me albums by AC/DC ${PRICED}`);
  expect(spent.status).toBe(200);
  const before = await onA.stored();
  for (const client of [onB, onA]) {
    const refused = await client.send('Show me albums by Queen', spent.body.conversationId);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatch(/^You have used today's assistant allowance \(\$0\.004 of estimated model cost\)\. It renews at midnight UTC, in /);
  }
  expect(await onB.stored()).toEqual(before);
});

it('records each refusal on the request span and in algorhythm.limit.hits; the counters’ queries are db spans like the store’s', async () => {
  const spans = await testTelemetry.receiver.waitFor((all) =>
    [LIMIT.messagesPerCustomer, LIMIT.signInsPerIp, LIMIT.signInsPerCustomer, LIMIT.dailyBudget].every((limit) =>
      all.some((s) => s.attributes[ATTR.algorhythmLimitName] === limit),
    ),
  );
  const refusedChat = spans.find((s) => s.name === 'POST /api/chat' && s.attributes[ATTR.algorhythmLimitName] === LIMIT.messagesPerCustomer)!;
  expect(refusedChat.attributes[ATTR.httpResponseStatusCode]).toBe(429);
  expect(refusedChat.status.code).not.toBe(2); // a refusal is not a server error
  const event = refusedChat.events.find((e) => e.name === SPAN_EVENT.limitHit);
  expect(event?.attributes).toMatchObject({ [ATTR.algorhythmLimitName]: LIMIT.messagesPerCustomer });
  expect(event?.attributes[ATTR.algorhythmLimitRetryAfter]).toBeGreaterThanOrEqual(1);
  // The refused turn went no further than its counter: no model call, no store query but the limit's own.
  const inRefused = spans.filter((s) => s.traceId === refusedChat.traceId && s !== refusedChat);
  expect(inRefused.map((s) => s.name).sort()).toEqual(['INSERT rate_limit', 'SELECT rate_limit']);
  expect(inRefused.find((s) => s.name === 'INSERT rate_limit')?.attributes).toMatchObject({
    [ATTR.dbSystemName]: 'postgresql',
    [ATTR.dbOperationName]: 'INSERT',
    [ATTR.dbCollectionName]: 'rate_limit',
  });
  // Creating the table ran at start-up, outside any request: not traced.
  expect(spans.some((s) => String(s.attributes['db.query.text']).includes('CREATE TABLE'))).toBe(false);

  await testTelemetry.telemetry.forceFlush();
  const metrics = await testTelemetry.receiver.waitForMetrics((m) => m.some((x) => x.name === METRIC.algorhythmLimitHits));
  const hits = metrics.filter((m) => m.name === METRIC.algorhythmLimitHits).at(-1)!;
  expect(hits).toMatchObject({ type: 'sum', unit: '{request}' });
  const count = (limit: string) => hits.dataPoints.find((p) => p.attributes[ATTR.algorhythmLimitName] === limit)?.value;
  expect(count(LIMIT.messagesPerCustomer)).toBe(2);
  expect(count(LIMIT.signInsPerIp)).toBe(2);
  expect(count(LIMIT.signInsPerCustomer)).toBe(2);
  expect(count(LIMIT.dailyBudget)).toBe(2);
});
