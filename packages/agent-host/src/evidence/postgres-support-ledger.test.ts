import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningHost } from '../compose.ts';
import { admin, makeDataDir, startTestHost, TestClient } from '../testing/host-harness.ts';
import { ledgerRows, postgresLedgerRows } from '../testing/ledger.ts';
import { useTestPostgres } from '../testing/postgres.ts';
import { waitFor, waitForReady } from '../testing/wait.ts';

/**
 * Two host replicas as on two machines: one PostgreSQL database, each its own data folder (its own Chinook SQLite
 * copy), each starting its own shared support service. With DATABASE_URL the hosts load Chinook into that database
 * and their support services keep the refund ledger there, with one REQUEST_STATE_KEY (derived from the shared
 * SESSION_SECRET): a refund asked through A and approved through B is written once, and both read it back. Both
 * start at the same moment on an empty database, as replicas do after a deploy.
 */

const server = useTestPostgres();
let databaseUrl: string;
let data: Array<{ dir: string; remove: () => void }> = [];
let a: RunningHost;
let b: RunningHost;

beforeAll(async () => {
  databaseUrl = await (await server()).createDatabase();
  data = [makeDataDir(), makeDataDir()];
  const env = { DATABASE_URL: databaseUrl, TRACE_STORE: 'off' };
  [a, b] = await Promise.all(data.map((d) => startTestHost(d.dir, env))) as [RunningHost, RunningHost];
});

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  for (const d of data) d.remove();
});

async function query<T extends pg.QueryResultRow>(text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

it('two replicas started at once on an empty database both come up, Chinook loaded once, migrations applied once', async () => {
  for (const host of [a, b]) expect(await waitForReady(host.url)).toMatchObject({ database: 'ok', support: 'ok' });
  // One recorded load (a row per Chinook table) and the data it verified; each support migration recorded once.
  expect(await query('SELECT count(*)::int AS n FROM algorhythm_chinook_load')).toEqual([{ n: 11 }]);
  expect(await query('SELECT count(*)::int AS n FROM "Invoice"')).toEqual([{ n: 412 }]);
  expect(await query('SELECT version FROM algorhythm_support_migrations ORDER BY version')).toEqual([{ version: 1 }, { version: 2 }]);
});

it('a refund asked through A and approved through B is written once in the PostgreSQL ledger; both replicas read it', async () => {
  const onA = new TestClient(a.url);
  await onA.login(1);
  const asked = await onA.chat('I want a refund for invoice 98 because it was a duplicate');
  const approval = asked.events.find((e) => e.event === 'approval')?.data;
  expect(approval).toMatchObject({ status: 'pending', title: 'Refund of invoice 98 ($3.98)' });

  // B's support service opens the approval A's sealed (one REQUEST_STATE_KEY) and writes to the one ledger.
  const decided = await admin(b.url).decide(String(approval!.id), 'approve', 'duplicate charge');
  expect(decided.status).toBe(200);
  const rows = await waitFor(async () => {
    const found = await postgresLedgerRows(databaseUrl);
    return found.length > 0 ? found : undefined;
  });
  expect(rows).toEqual([expect.objectContaining({ invoice_id: 98, customer_id: 1, amount_cents: 398, approver_note: 'duplicate charge' })]);
  // Nothing in either replica's SQLite copy.
  expect(data.flatMap((d) => ledgerRows(d.dir))).toEqual([]);

  // The customer's invoice, read through each replica's own support service: the same answer, refund included.
  const invoiceThrough = async (host: RunningHost) => {
    const customer = new TestClient(host.url);
    await customer.login(1);
    return String((await customer.chat('Show me invoice 98')).done.reply);
  };
  const [throughA, throughB] = [await invoiceThrough(a), await invoiceThrough(b)];
  expect(throughA).toMatch(/refunded/);
  expect(throughB).toBe(throughA);
  // Asking again through A changes nothing: still one row.
  expect(await postgresLedgerRows(databaseUrl)).toHaveLength(1);
});
