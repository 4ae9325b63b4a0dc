import type { Statement } from 'better-sqlite3';
import type { SupportDb } from './open-db.ts';

const byDb = new WeakMap<SupportDb, Map<string, Statement>>();

/**
 * `db.prepare(sql)` once per database handle and SQL text. One support service answers every customer, so the same
 * few queries run thousands of times: compiling each again (≈ 20–50 µs in SQLite) is pure waste. Works on a traced
 * handle too (the span wraps each `get`/`all`/`run`, not the prepare).
 */
export function statement(db: SupportDb, sql: string): Statement {
  let statements = byDb.get(db);
  if (!statements) byDb.set(db, (statements = new Map()));
  let prepared = statements.get(sql);
  if (!prepared) statements.set(sql, (prepared = db.prepare(sql)));
  return prepared;
}
