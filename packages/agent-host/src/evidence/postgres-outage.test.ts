import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningHost } from '../compose.ts';
import { admin, makeDataDir, startTestHost, TestClient } from '../testing/host-harness.ts';
import { startPostgresServer, type PostgresServer } from '../testing/postgres-server.ts';
import { openStream } from '../testing/sse-stream.ts';
import { waitFor, waitForReady } from '../testing/wait.ts';

/**
 * PostgreSQL stopped under two running replicas and started again on the same data and port: /readyz answers
 * 503 (database and event channel named) while it is gone and 200 again by itself once it is back, and live
 * events flow across the replicas again afterwards.
 */

let pgDir: string;
let postgres: PostgresServer;
let port: number;
let data: { dir: string; remove: () => void };
let a: RunningHost;
let b: RunningHost;

beforeAll(async () => {
  pgDir = mkdtempSync(join(tmpdir(), 'algorhythm-pg-outage-'));
  postgres = await startPostgresServer({ dir: pgDir });
  port = Number(new URL(postgres.url).port);
  const env = { DATABASE_URL: await postgres.createDatabase(), TRACE_STORE: 'off' };
  data = makeDataDir();
  [a, b] = await Promise.all([startTestHost(data.dir, env), startTestHost(data.dir, env)]);
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await postgres?.stop();
  data?.remove();
  rmSync(pgDir, { recursive: true, force: true });
});

const readiness = async (host: RunningHost) => {
  const response = await fetch(`${host.url}/readyz`);
  return { status: response.status, body: (await response.json()) as { checks: Record<string, string> } };
};

it('answers 503 while PostgreSQL is down and recovers by itself; events flow across replicas again', async () => {
  for (const host of [a, b]) expect(await waitForReady(host.url)).toMatchObject({ database: 'ok', events: 'ok' });

  await postgres.stop();
  for (const host of [a, b]) {
    const down = await waitFor(async () => {
      const ready = await readiness(host);
      return ready.status === 503 && ready.body.checks['events'] !== 'ok' ? ready : undefined;
    }, 10_000);
    expect(down.body.checks['database']).not.toBe('ok');
    expect(down.body.checks['events']).toMatch(/^event listener disconnected/);
  }

  postgres = await startPostgresServer({ dir: pgDir, port });
  for (const host of [a, b]) {
    await waitFor(async () => ((await readiness(host)).status === 200 ? true : undefined), 15_000);
  }

  // Back: a refund asked on A, decided on B, reaches the customer's page on A.
  const customer = new TestClient(a.url);
  await customer.login(1);
  const asked = await customer.chat('I want a refund for invoice 98 because it was a duplicate');
  const approvalId = String(asked.events.find((e) => e.event === 'approval')!.data['id']);
  const page = await openStream(`${a.url}/api/conversations/${String(asked.done.conversationId)}/events`, { cookie: customer.cookie });
  expect((await admin(b.url).decide(approvalId, 'approve')).status).toBe(200);
  await page.until((e) => e.event === 'done');
  expect(page.events.filter((e) => e.event === 'done')).toHaveLength(1);
  await page.close();
});
