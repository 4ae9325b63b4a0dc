// Test helper: the same suites against both backends. SQLite is a temporary copy of the pristine Chinook file;
// PostgreSQL a fresh database on the test file's throwaway server, loaded from that same file by the real loader.
import { startTestPostgres, type TestPostgres } from '@algorhythm/mcp-kit/testing/postgres';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll } from 'vitest';
import { openSupportDb } from '../db/open-db.ts';
import { loadChinook } from '../db/postgres/load-chinook.ts';
import { migratePostgres } from '../db/postgres/migrate.ts';
import { PostgresDb } from '../db/postgres/postgres-db.ts';
import type { SupportDatabase } from '../store/open-store.ts';
import type { EmailChangeRow } from './email-flow.ts';
import { readEmail, readEmailChanges, setEmail } from './email-flow.ts';
import { persistedStateKey } from './refund-flow.ts';
import { makeTempDb, readLedger, type LedgerRow } from './temp-db.ts';

export const BACKENDS = ['sqlite', 'postgres'] as const;
export type BackendKind = (typeof BACKENDS)[number];

/** The key PostgreSQL replicas share (REQUEST_STATE_KEY); SQLite servers persist their own in the file. */
export const TEST_STATE_KEY = 'support-mcp-test-request-state-key-0123456789';

/** One database for a test file, and what the suites read and change in it behind the server's back. */
export type TestBackend = {
  kind: BackendKind;
  /** The server's arguments and environment selecting this database. */
  args: string[];
  env: Record<string, string>;
  /** A handle for an in-process server (`createSupportDeps({ db })`), closed at cleanup. */
  open: () => SupportDatabase;
  /** The key that seals approval states on this database. */
  stateKey: () => Promise<string>;
  readLedger: (invoiceId?: number) => Promise<LedgerRow[]>;
  readEmailChanges: (customerId?: number) => Promise<EmailChangeRow[]>;
  readEmail: (customerId: number) => Promise<string>;
  setEmail: (customerId: number, email: string) => Promise<void>;
  /** A digest of every Customer row except `except`'s: proves nobody else's account moved. */
  customersDigest: (except?: number) => Promise<string>;
  /** sha256 over every row of these tables, in primary-key order: proves nothing in them moved. */
  digest: (tables: string[]) => Promise<string>;
  /** Raw SQL for test set-up on our own `algorhythm_*` tables (same spelling on both). */
  exec: (sql: string) => Promise<void>;
  cleanup: () => Promise<void>;
};

/** Call at the top level of a test file: `const backend = useTestBackend(kind)`; then `await backend()` in hooks. */
export function useTestBackend(kind: BackendKind): () => Promise<TestBackend> {
  let server: Promise<TestPostgres> | undefined;
  let made: Promise<TestBackend> | undefined;
  // One hook, in this order: the pools end before their server stops (a server stopping under an open pool is an error).
  afterAll(async () => {
    await (await made?.catch(() => undefined))?.cleanup();
    await (await server?.catch(() => undefined))?.stop();
  });
  return () =>
    (made ??= kind === 'postgres' ? postgresBackend((server ??= startTestPostgres())) : Promise.resolve(sqliteBackend()));
}

function sqliteBackend(): TestBackend {
  const temp = makeTempDb();
  const handles: SupportDatabase[] = [];
  return {
    kind: 'sqlite',
    args: ['--db', temp.path],
    env: {},
    open: () => {
      const db = openSupportDb(temp.path);
      handles.push(db);
      return db;
    },
    stateKey: async () => persistedStateKey(temp.path),
    readLedger: async (invoiceId) => readLedger(temp.path, invoiceId),
    readEmailChanges: async (customerId) => readEmailChanges(temp.path, customerId),
    readEmail: async (customerId) => readEmail(temp.path, customerId),
    setEmail: async (customerId, email) => void setEmail(temp.path, customerId, email),
    customersDigest: async (except) => {
      const db = new Database(temp.path, { readonly: true });
      try {
        return digestOf(db.prepare('SELECT * FROM Customer WHERE CustomerId IS NOT ? ORDER BY CustomerId').all(except ?? null));
      } finally {
        db.close();
      }
    },
    digest: async (tables) => {
      const db = new Database(temp.path, { readonly: true });
      try {
        // The first column is each table's primary key (Chinook's ids, the ledger's refund_id).
        return digestOf(tables.map((table) => db.prepare(`SELECT * FROM "${table}" ORDER BY 1`).all()));
      } finally {
        db.close();
      }
    },
    exec: async (sql) => {
      const db = new Database(temp.path);
      try {
        db.pragma('busy_timeout = 5000');
        db.exec(sql);
      } finally {
        db.close();
      }
    },
    cleanup: async () => {
      for (const db of handles) db.close();
      temp.cleanup();
    },
  };
}

async function postgresBackend(server: Promise<TestPostgres>): Promise<TestBackend> {
  const url = await (await server).createDatabase();
  const source = makeTempDb();
  const pool = new pg.Pool({ connectionString: url, max: 3 });
  pool.on('error', () => {}); // an idle client losing the server at teardown is no test failure
  try {
    await loadChinook({ from: source.path, pool });
    await migratePostgres(pool);
  } finally {
    source.cleanup();
  }
  const handles: PostgresDb[] = [];
  // Timestamps as the SQLite rows have them (ISO text), so one expectation fits both.
  const rowsOf = async <T>(sql: string, params: unknown[]) =>
    (await pool.query(sql, params)).rows.map((row: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])),
    ) as T[];
  return {
    kind: 'postgres',
    args: ['--database-url', url],
    env: { REQUEST_STATE_KEY: TEST_STATE_KEY },
    open: () => {
      const db = new PostgresDb(url, { max: 4 });
      handles.push(db);
      return db;
    },
    stateKey: async () => TEST_STATE_KEY,
    readLedger: (invoiceId) =>
      rowsOf<LedgerRow>('SELECT * FROM algorhythm_refunds WHERE $1::integer IS NULL OR invoice_id = $1 ORDER BY refund_id', [invoiceId ?? null]),
    readEmailChanges: (customerId) =>
      rowsOf<EmailChangeRow>('SELECT * FROM algorhythm_email_changes WHERE $1::integer IS NULL OR customer_id = $1 ORDER BY change_id', [customerId ?? null]),
    readEmail: async (customerId) => (await pool.query('SELECT "Email" FROM "Customer" WHERE "CustomerId" = $1', [customerId])).rows[0]?.Email,
    setEmail: async (customerId, email) => void (await pool.query('UPDATE "Customer" SET "Email" = $2 WHERE "CustomerId" = $1', [customerId, email])),
    customersDigest: async (except) => {
      const { rows } = await pool.query({
        text: 'SELECT * FROM "Customer" WHERE "CustomerId" IS DISTINCT FROM $1 ORDER BY "CustomerId"',
        values: [except ?? null],
      });
      return digestOf(rows);
    },
    digest: async (tables) => {
      const rows = [];
      for (const table of tables) rows.push((await pool.query(`SELECT * FROM "${table}" ORDER BY 1`)).rows);
      return digestOf(rows);
    },
    exec: async (sql) => void (await pool.query(sql)),
    cleanup: async () => {
      await Promise.all(handles.map((db) => db.pool.end().catch(() => {})));
      await pool.end();
    },
  };
}

const digestOf = (rows: unknown[]) => createHash('sha256').update(JSON.stringify(rows)).digest('hex');
