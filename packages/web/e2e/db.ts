// Reads the test host's working Chinook copy straight from its file, read-only, to check what a tool really
// changed. Node's built-in `node:sqlite` (Node 22) does it without giving this browser package a native dependency.
import { join } from 'node:path';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import type { RunningHost } from './host.ts';

export function chinookPath(host: RunningHost): string {
  return join(host.dataDir, 'chinook.db');
}

/** Runs one SELECT on the host's database and returns its rows. */
export function queryChinook<T extends object = Record<string, unknown>>(host: RunningHost, sql: string, ...params: SQLInputValue[]): T[] {
  const db = new DatabaseSync(chinookPath(host), { readOnly: true });
  try {
    db.exec('PRAGMA busy_timeout = 5000');
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** Whether a table exists (the audit tables come with the support server's migrations). */
export function hasTable(host: RunningHost, name: string): boolean {
  return queryChinook(host, `SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?`, name).length === 1;
}
