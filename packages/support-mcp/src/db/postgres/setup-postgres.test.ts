// The setup and the server's start on PostgreSQL, as processes: what an operator runs and sees.
import { useTestPostgres } from '@algorhythm/mcp-kit/testing/postgres';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_TOKEN_SECRET } from '../../testing/http-server.ts';
import { BIN, PRISTINE_DB, REPO_ROOT } from '../../testing/temp-db.ts';
import { migratePostgres, readMigrations } from './migrate.ts';
import { setupPostgres } from './setup-postgres.ts';

const postgres = useTestPostgres();
const dataDir = mkdtempSync(join(tmpdir(), 'support-setup-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const node = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, args, { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 60_000 });
const setupDb = (databaseUrl: string) =>
  node(['scripts/setup-db.ts'], { DATA_DIR: dataDir, CHINOOK_SOURCE: PRISTINE_DB, DATABASE_URL: databaseUrl });

describe('setup with DATABASE_URL', () => {
  it('scripts/setup-db.ts loads and verifies Chinook and creates the support tables, once', async () => {
    const url = await (await postgres()).createDatabase();
    const first = setupDb(url);
    expect(first.stderr).toMatch(/setup-db: Chinook loaded in PostgreSQL at 127\.0\.0\.1:\d+ \(11 tables, 15607 rows, counts and checksums verified\)/);
    expect(first.status).toBe(0);
    const again = setupDb(url);
    expect(again.stderr).toMatch(/setup-db: Chinook already loaded/);
    expect(again.status).toBe(0);
    const pool = new pg.Pool({ connectionString: url });
    try {
      const { rows } = await pool.query('SELECT version FROM algorhythm_support_migrations ORDER BY version');
      expect(rows.map((r) => r.version)).toEqual(readMigrations().map((m) => m.version));
      // Replicas starting together apply nothing twice.
      expect(await Promise.all([migratePostgres(pool), migratePostgres(pool)])).toEqual([[], []]);
    } finally {
      await pool.end();
    }
  });

  it('setups started together on an empty database (replicas after a deploy): one loads, the others find it loaded', async () => {
    const url = await (await postgres()).createDatabase();
    const lines = await Promise.all(Array.from({ length: 4 }, () => setupPostgres({ from: PRISTINE_DB, databaseUrl: url })));
    expect(lines.filter((line) => /^Chinook loaded /.test(line))).toHaveLength(1);
    expect(lines.filter((line) => /^Chinook already loaded /.test(line))).toHaveLength(3);
    const pool = new pg.Pool({ connectionString: url });
    try {
      const { rows } = await pool.query('SELECT version FROM algorhythm_support_migrations ORDER BY version');
      expect(rows.map((r) => r.version)).toEqual(readMigrations().map((m) => m.version));
    } finally {
      await pool.end();
    }
  });

  it('the CLI refuses a target holding other data, naming the table, and changes nothing', async () => {
    const url = await (await postgres()).createDatabase();
    const pool = new pg.Pool({ connectionString: url });
    try {
      await pool.query('CREATE TABLE "Artist" ("ArtistId" integer PRIMARY KEY, "Name" text)');
      await pool.query(`INSERT INTO "Artist" VALUES (1, 'Not AC/DC')`);
      const refused = node(['packages/support-mcp/src/db/postgres/load-chinook-cli.ts', '--from', PRISTINE_DB, '--database-url', url], {});
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/^load-chinook: PostgreSQL already has Chinook tables with other data than .*; refusing to change them:\n {2}Artist: 1 rows, expected 275\n/);
      expect((await pool.query(`SELECT to_regclass('"Invoice"') AS t`)).rows[0].t).toBeNull();
    } finally {
      await pool.end();
    }
  });
});

describe('the server on PostgreSQL', () => {
  it('refuses to start without REQUEST_STATE_KEY, or on a database without Chinook, with one clear line', async () => {
    const url = await (await postgres()).createDatabase();
    const noKey = node([BIN, '--database-url', url, '--http', '--port', '0'], { SUPPORT_TOKEN_SECRET: TEST_TOKEN_SECRET });
    expect(noKey.status).toBe(2);
    expect(noKey.stderr.trim().split('\n')).toEqual([
      'algorhythm-support-mcp: with DATABASE_URL every support replica must share REQUEST_STATE_KEY (at least 32 bytes): set it in the environment',
    ]);
    const empty = node([BIN, '--http', '--port', '0'], {
      DATABASE_URL: url,
      SUPPORT_TOKEN_SECRET: TEST_TOKEN_SECRET,
      REQUEST_STATE_KEY: 'k'.repeat(32),
    });
    expect(empty.status).toBe(1);
    expect(empty.stderr.trim().split('\n')).toEqual([
      'algorhythm-support-mcp: the PostgreSQL database has no Chinook data: load it first (node scripts/setup-db.ts with DATABASE_URL set)',
    ]);
  });
});
