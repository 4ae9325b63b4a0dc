import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { migrate } from './migrations.ts';

export type SupportDb = Database.Database;

/**
 * Opens the working Chinook copy read-write for the support server: WAL (readers never block the
 * refund writer), a busy timeout (several server processes share the file), foreign keys on, then
 * runs our migrations. Refuses a path that does not exist rather than creating an empty database.
 */
export function openSupportDb(path: string, { busyTimeoutMs = 5000 }: { busyTimeoutMs?: number } = {}): SupportDb {
  if (!existsSync(path)) {
    throw new Error(`database ${path} does not exist (run \`pnpm db:setup\` at the repository root)`);
  }
  const db = new Database(path, { fileMustExist: true });
  try {
    db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    const chinook = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'Invoice'`).get();
    if (!chinook) throw new Error(`database ${path} is not a Chinook database (no Invoice table)`);
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
