import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUSY_TIMEOUT_MS, whenFree } from './when-free.ts';

let dir: string;
let mine: Database.Database;
let other: Database.Database;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'when-free-'));
  const path = join(dir, 'store.db');
  mine = new Database(path);
  mine.pragma('journal_mode = WAL');
  mine.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  mine.exec('CREATE TABLE note (text TEXT NOT NULL)');
  other = new Database(path);
});
afterEach(() => {
  mine.close();
  other.close();
  rmSync(dir, { recursive: true, force: true });
});

const insert = (text: string) => () => mine.prepare('INSERT INTO note (text) VALUES (?)').run(text).changes;
const notes = () => (mine.prepare('SELECT text FROM note').all() as Array<{ text: string }>).map((row) => row.text);

/** Counts event-loop turns until stopped: what a blocking wait would starve. */
function loopTurns() {
  let turns = 0;
  const timer = setInterval(() => turns++, 5);
  return () => {
    clearInterval(timer);
    return turns;
  };
}

describe('whenFree', () => {
  it('waits for another connection’s write lock on timers, then writes once', async () => {
    other.exec('BEGIN IMMEDIATE');
    const stop = loopTurns();
    const written = whenFree(insert('after the lock'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(notes()).toEqual([]);
    other.exec('COMMIT');
    expect(await written).toBe(1);
    // The loop kept turning while the write waited: a 300 ms synchronous wait would have allowed none.
    expect(stop()).toBeGreaterThan(5);
    expect(notes()).toEqual(['after the lock']);
  });

  it('gives up with SQLITE_BUSY after its wait, and writes nothing', async () => {
    other.exec('BEGIN IMMEDIATE');
    await expect(whenFree(insert('never'), 200)).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    other.exec('ROLLBACK');
    expect(notes()).toEqual([]);
  });

  it('passes any other error on at once, without trying again', async () => {
    let calls = 0;
    const failing = () => {
      calls++;
      return mine.prepare('INSERT INTO missing_table VALUES (1)').run();
    };
    await expect(whenFree(failing)).rejects.toThrow(/no such table/);
    expect(calls).toBe(1);
  });
});
