import Database from 'better-sqlite3';
import { useTestPostgres } from '@algorhythm/mcp-kit/testing/postgres';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDb } from '../../testing/temp-db.ts';
import { CHINOOK_TABLES } from './chinook-tables.ts';
import { ChinookMismatchError, loadChinook, sourceDigests, verifyChinook } from './load-chinook.ts';
import { canonicalValue } from './table-checksum.ts';

const postgres = useTestPostgres();
const source = makeTempDb('support-load-');
const pools: pg.Pool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  source.cleanup();
});
const freshDatabase = async () => {
  const pool = new pg.Pool({ connectionString: await (await postgres()).createDatabase(), max: 2 });
  // The test server stops after this file; an idle connection it terminates must not be an uncaught error.
  pool.on('error', () => {});
  pools.push(pool);
  return pool;
};

const EXPECTED_ROWS = {
  Artist: 275, Album: 347, Employee: 8, Customer: 59, Genre: 25, MediaType: 5,
  Track: 3503, Invoice: 412, InvoiceLine: 2240, Playlist: 18, PlaylistTrack: 8715,
};

describe('loadChinook', () => {
  it('copies every table with equal counts and checksums, then skips a second load', async () => {
    const pool = await freshDatabase();
    const load = await loadChinook({ from: source.path, pool, batchRows: 700 });
    expect(load.kind).toBe('loaded');
    expect(Object.fromEntries(load.tables.map((t) => [t.table, t.rows]))).toEqual(EXPECTED_ROWS);
    // Verified independently: counts straight from PostgreSQL, checksums recomputed from both sides.
    for (const [table, rows] of Object.entries(EXPECTED_ROWS)) {
      expect((await pool.query(`SELECT count(*)::int AS n FROM "${table}"`)).rows[0].n).toBe(rows);
    }
    expect((await verifyChinook({ from: source.path, pool })).mismatches).toEqual([]);
    const sample = await pool.query(`SELECT "Total", "InvoiceDate"::text AS date FROM "Invoice" WHERE "InvoiceId" = 98`);
    expect(sample.rows[0]).toEqual({ Total: '3.98', date: '2022-03-11 00:00:00' });
    expect((await pool.query(`SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = '"Invoice"'::regclass AND attname = 'Total'`)).rows[0].type).toBe('numeric(10,2)');

    expect(await loadChinook({ from: source.path, pool })).toMatchObject({ kind: 'already_loaded' });
  });

  it('a tampered row makes verification fail, and the loader refuses to adopt such tables', async () => {
    const pool = await freshDatabase();
    await loadChinook({ from: source.path, pool });
    await pool.query(`UPDATE "Track" SET "UnitPrice" = 0.98 WHERE "TrackId" = 1`);
    const { mismatches } = await verifyChinook({ from: source.path, pool });
    expect(mismatches).toEqual([expect.stringMatching(/^Track: checksum .* expected/)]);
    // Without the load record, the tables are unknown data: refused, nothing changed.
    await pool.query('DROP TABLE algorhythm_chinook_load');
    await expect(loadChinook({ from: source.path, pool })).rejects.toThrow(ChinookMismatchError);
    await expect(loadChinook({ from: source.path, pool })).rejects.toThrow(/other data than .*\n  Track: checksum/);
    expect((await pool.query(`SELECT "UnitPrice" FROM "Track" WHERE "TrackId" = 1`)).rows[0].UnitPrice).toBe('0.98');
    expect((await pool.query(`SELECT to_regclass('algorhythm_chinook_load') AS t`)).rows[0].t).toBeNull();
  });

  it('refuses a different source over a recorded load', async () => {
    const pool = await freshDatabase();
    await loadChinook({ from: source.path, pool });
    const other = makeTempDb('support-load-other-');
    try {
      const db = new Database(other.path);
      db.prepare(`UPDATE Customer SET Email = 'someone@example.com' WHERE CustomerId = 1`).run();
      db.close();
      await expect(loadChinook({ from: other.path, pool })).rejects.toThrow(/another source .*\n  Customer: checksum/);
    } finally {
      other.cleanup();
    }
  });

  it('a failed copy leaves nothing behind (one transaction)', async () => {
    const pool = await freshDatabase();
    const broken = makeTempDb('support-load-broken-');
    try {
      const db = new Database(broken.path);
      db.prepare(`UPDATE Track SET UnitPrice = 'free' WHERE TrackId = 2`).run();
      db.close();
      await expect(loadChinook({ from: broken.path, pool })).rejects.toThrow(/Track.UnitPrice: "free" is not an amount/);
      expect((await pool.query(`SELECT to_regclass('"Artist"') AS t`)).rows[0].t).toBeNull();
    } finally {
      broken.cleanup();
    }
  });
});

describe('canonical values', () => {
  it('are the same text whichever side they come from', () => {
    expect(canonicalValue('money', 0.99, 'x')).toBe('0.99');
    expect(canonicalValue('money', '0.99', 'x')).toBe('0.99');
    expect(canonicalValue('money', 13.860000000000001, 'x')).toBe('13.86');
    expect(canonicalValue('timestamp', '2021-01-01 00:00:00', 'x')).toBe('2021-01-01T00:00:00');
    expect(canonicalValue('integer', '42', 'x')).toBe('42');
    expect(canonicalValue('text', null, 'x')).toBeNull();
    expect(() => canonicalValue('integer', 1.5, 'T.c')).toThrow(/T.c: 1.5 is not an integer/);
    expect(sourceDigests(source.path).map((d) => d.table)).toEqual(CHINOOK_TABLES.map((t) => t.name));
  });
});
