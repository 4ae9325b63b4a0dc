import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import type pg from 'pg';
import { CHINOOK_LOADS_TABLE, CHINOOK_TABLES, createTableSql, foreignKeysOf, quote, selectOrderedSql, type ChinookTable } from './chinook-tables.ts';
import { canonicalRow, tableDigest, type TableDigest } from './table-checksum.ts';
import { withTransaction } from './transaction.ts';

export type { TableDigest } from './table-checksum.ts';

/** What `loadChinook` did. */
export type ChinookLoad =
  /** Created the tables, copied every row, verified counts and checksums: one transaction. */
  | { kind: 'loaded'; tables: TableDigest[] }
  /** A load of the same source was recorded before: nothing touched (the data has moved on since: ledgers, emails). */
  | { kind: 'already_loaded'; tables: TableDigest[] }
  /** The tables were there, not recorded, but equal to the source: recorded now, nothing copied. */
  | { kind: 'recorded'; tables: TableDigest[] };

/** The target holds other data than the source, or a copy did not verify: nothing was changed. */
export class ChinookMismatchError extends Error {
  readonly mismatches: string[];
  constructor(message: string, mismatches: string[]) {
    super(`${message}:\n  ${mismatches.join('\n  ')}`);
    this.name = 'ChinookMismatchError';
    this.mismatches = mismatches;
  }
}

/** Serializes loaders (two replicas' setups at once): the second waits and finds the load recorded. */
const LOCK_NAME = 'algorhythm.support-mcp.load-chinook';
/** Rows per INSERT: 500 × 13 columns stays far below PostgreSQL's 65 535 parameters. */
const DEFAULT_BATCH_ROWS = 500;

/** Counts and checksums of the Chinook tables in a SQLite file (our own `algorhythm_*` tables are not Chinook). */
export function sourceDigests(sqlitePath: string): TableDigest[] {
  return withSource(sqlitePath, (db) => CHINOOK_TABLES.map((table) => tableDigest(table, sourceRows(db, table))));
}

/** The same, read from PostgreSQL as raw text (no type parsing), so both sides normalize in the same code. */
export async function targetDigests(client: pg.ClientBase): Promise<TableDigest[]> {
  // The checksum expects ISO timestamps (`2021-01-01 00:00:00`), whatever the server's default DateStyle.
  await client.query(`SET LOCAL datestyle TO 'ISO, YMD'`);
  const digests: TableDigest[] = [];
  for (const table of CHINOOK_TABLES) {
    // A missing table has no digest: compareDigests reports it as missing.
    const { rows: found } = await client.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [quote(table.name)]);
    if (!found[0]?.found) continue;
    const { rows } = await client.query<unknown[]>({ text: selectOrderedSql(table), rowMode: 'array', types: RAW_TEXT });
    digests.push(tableDigest(table, rows));
  }
  return digests;
}

/** Each table whose count or checksum differs, as a line a person can act on; empty when equal. */
export function compareDigests(expected: readonly TableDigest[], actual: readonly TableDigest[]): string[] {
  return expected.flatMap((want) => {
    const got = actual.find((d) => d.table === want.table);
    if (!got) return [`${want.table}: missing (expected ${want.rows} rows)`];
    if (got.rows !== want.rows) return [`${want.table}: ${got.rows} rows, expected ${want.rows}`];
    if (got.checksum !== want.checksum) return [`${want.table}: checksum ${got.checksum.slice(0, 12)}…, expected ${want.checksum.slice(0, 12)}…`];
    return [];
  });
}

/** Compares the PostgreSQL tables with the SQLite file now, in one read-only snapshot. */
export async function verifyChinook({ from, pool }: { from: string; pool: pg.Pool }): Promise<{ mismatches: string[]; source: TableDigest[]; target: TableDigest[] }> {
  const source = sourceDigests(from);
  const target = await withTransaction(pool, targetDigests, { begin: 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' });
  return { mismatches: compareDigests(source, target), source, target };
}

/**
 * Loads Chinook from the SQLite file into PostgreSQL: creates the tables (original quoted names, integer ids,
 * text, numeric(10,2) money, timestamps), copies every row in batches, adds the foreign keys and indexes, then
 * compares each table's row count and checksum with the source, all in one transaction: a failure leaves nothing.
 * Records the source's digests in `algorhythm_chinook_load`. Idempotent: a recorded load of the same source is
 * skipped; a recorded load of another source, or unrecorded tables that differ, are refused.
 */
export async function loadChinook({
  from,
  pool,
  batchRows = DEFAULT_BATCH_ROWS,
}: {
  from: string;
  pool: pg.Pool;
  batchRows?: number;
}): Promise<ChinookLoad> {
  const source = sourceDigests(from);
  return withTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [LOCK_NAME]);
    const recorded = await recordedDigests(client);
    if (recorded) {
      const mismatches = compareDigests(source, recorded);
      if (mismatches.length > 0) throw new ChinookMismatchError(`PostgreSQL already holds a Chinook load from another source than ${from}; refusing to change it`, mismatches);
      return { kind: 'already_loaded', tables: recorded };
    }
    if (await anyChinookTable(client)) {
      const mismatches = compareDigests(source, await targetDigests(client));
      if (mismatches.length > 0) throw new ChinookMismatchError(`PostgreSQL already has Chinook tables with other data than ${from}; refusing to change them`, mismatches);
      await record(client, source, from);
      return { kind: 'recorded', tables: source };
    }
    await copyAll(client, from, batchRows);
    const mismatches = compareDigests(source, await targetDigests(client));
    if (mismatches.length > 0) throw new ChinookMismatchError(`the copy of ${from} did not verify; nothing was loaded`, mismatches);
    await record(client, source, from);
    return { kind: 'loaded', tables: source };
  });
}

async function copyAll(client: pg.ClientBase, from: string, batchRows: number): Promise<void> {
  for (const table of CHINOOK_TABLES) await client.query(createTableSql(table));
  await withSource(from, async (db) => {
    for (const table of CHINOOK_TABLES) {
      const rows = sourceRows(db, table);
      for (let start = 0; start < rows.length; start += batchRows) {
        await client.query(insertBatch(table, rows.slice(start, start + batchRows)));
      }
    }
  });
  for (const table of CHINOOK_TABLES) for (const sql of foreignKeysOf(table)) await client.query(sql);
}

/** One parameterized multi-row INSERT; values go in canonical text and PostgreSQL casts them to the column types. */
function insertBatch(table: ChinookTable, rows: unknown[][]): pg.QueryConfig {
  const width = table.columns.length;
  const tuples = rows.map((_, r) => `(${table.columns.map((_, c) => `$${r * width + c + 1}`).join(', ')})`);
  return {
    text: `INSERT INTO ${quote(table.name)} (${table.columns.map((c) => quote(c.name)).join(', ')}) VALUES ${tuples.join(', ')}`,
    values: rows.flatMap((row) => canonicalRow(table, row)),
  };
}

async function recordedDigests(client: pg.ClientBase): Promise<TableDigest[] | undefined> {
  const { rows: exists } = await client.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [CHINOOK_LOADS_TABLE]);
  if (!exists[0]?.found) return undefined;
  const { rows } = await client.query<TableDigest>(`SELECT table_name AS "table", row_count AS rows, checksum FROM ${CHINOOK_LOADS_TABLE} ORDER BY table_name`);
  return rows.length > 0 ? rows : undefined;
}

async function anyChinookTable(client: pg.ClientBase): Promise<boolean> {
  const names = CHINOOK_TABLES.map((t) => quote(t.name));
  const { rows } = await client.query<{ found: boolean }>('SELECT bool_or(to_regclass(name) IS NOT NULL) AS found FROM unnest($1::text[]) AS name', [names]);
  return rows[0]?.found === true;
}

async function record(client: pg.ClientBase, digests: TableDigest[], from: string): Promise<void> {
  await client.query(`CREATE TABLE IF NOT EXISTS ${CHINOOK_LOADS_TABLE} (
    table_name text PRIMARY KEY,
    row_count  integer NOT NULL,
    checksum   text NOT NULL,
    source     text NOT NULL,
    loaded_at  timestamptz NOT NULL DEFAULT now()
  )`);
  await client.query(
    `INSERT INTO ${CHINOOK_LOADS_TABLE} (table_name, row_count, checksum, source)
     SELECT * FROM unnest($1::text[], $2::integer[], $3::text[]), (SELECT $4::text) AS source`,
    [digests.map((d) => d.table), digests.map((d) => d.rows), digests.map((d) => d.checksum), from],
  );
}

function sourceRows(db: Database.Database, table: ChinookTable): unknown[][] {
  return db.prepare(selectOrderedSql(table)).raw().all() as unknown[][];
}

function withSource<T>(path: string, read: (db: Database.Database) => T): T {
  if (!existsSync(path)) throw new Error(`Chinook source ${path} does not exist (run \`pnpm db:setup\`)`);
  const db = new Database(path, { readonly: true, fileMustExist: true });
  const close = () => db.close();
  try {
    const result = read(db);
    if (result instanceof Promise) return result.finally(close) as T;
    close();
    return result;
  } catch (error) {
    close();
    throw error;
  }
}

/** Every column as PostgreSQL's text output, parsed by nobody: the checksum normalizes it (table-checksum.ts). */
const RAW_TEXT = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;
