import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDb } from '../testing/temp-db.ts';
import { MIGRATIONS, migrate, schemaVersion } from './migrations.ts';
import { openSupportDb } from './open-db.ts';
import { getOrCreateSecret } from './secret-store.ts';

const temp = makeTempDb();
afterAll(() => temp.cleanup());

describe('migrations', () => {
  it('create the ledgers on a pristine Chinook copy, once, and record their versions', () => {
    const db = openSupportDb(temp.path);
    const latest = Math.max(...MIGRATIONS.map((m) => m.version));
    expect(schemaVersion(db)).toBe(latest);
    expect(migrate(db)).toEqual([]); // idempotent: nothing left to apply
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'algorhythm_%' ORDER BY name`)
      .pluck()
      .all();
    expect(tables).toEqual(['algorhythm_email_changes', 'algorhythm_refunds', 'algorhythm_secret', 'algorhythm_support_migrations']);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    // Chinook's own tables are untouched.
    expect(db.prepare('SELECT COUNT(*) FROM Invoice').pluck().get()).toBe(412);
    db.close();
  });

  it('apply only the versions a database has not seen', () => {
    const db = new Database(':memory:');
    const first = [{ version: 1, name: 'one', sql: 'CREATE TABLE t1 (x)' }];
    const both = [...first, { version: 2, name: 'two', sql: 'CREATE TABLE t2 (x)' }];
    expect(migrate(db, first)).toEqual([1]);
    expect(migrate(db, both)).toEqual([2]);
    expect(migrate(db, both)).toEqual([]);
    db.close();
  });

  it('roll back a failing migration completely', () => {
    const db = new Database(':memory:');
    const broken = [{ version: 1, name: 'broken', sql: 'CREATE TABLE ok (x); CREATE TABLE ok (x);' }];
    expect(() => migrate(db, broken)).toThrow();
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'ok'`).get()).toBeUndefined();
    db.close();
  });

  it('refuse a file that does not exist or is not Chinook', () => {
    expect(() => openSupportDb(`${temp.dir}/missing.db`)).toThrow(/does not exist/);
    new Database(`${temp.dir}/empty.db`).close();
    expect(() => openSupportDb(`${temp.dir}/empty.db`)).toThrow(/not a Chinook database/);
  });
});

describe('getOrCreateSecret', () => {
  it('creates a 32-byte secret once and every connection on the file reads the same one', () => {
    const a = openSupportDb(temp.path);
    const b = openSupportDb(temp.path);
    const first = getOrCreateSecret(a, 'request_state_key');
    expect(Buffer.from(first, 'base64url')).toHaveLength(32);
    expect(getOrCreateSecret(b, 'request_state_key')).toBe(first);
    expect(getOrCreateSecret(a, 'other')).not.toBe(first);
    a.close();
    b.close();
  });
});
