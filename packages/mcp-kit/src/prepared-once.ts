const byDb = new WeakMap<object, Map<string, unknown>>();

/**
 * `db.prepare(sql)` once per database handle and SQL text. One service answers every customer, so the same few
 * queries run thousands of times: compiling each again (≈ 20–50 µs in SQLite) is pure waste. Works on a traced
 * handle too (the span wraps each `get`/`all`/`run`, not the prepare).
 */
export function preparedOnce<Statement>(db: { prepare(sql: string): Statement }, sql: string): Statement {
  let statements = byDb.get(db);
  if (!statements) byDb.set(db, (statements = new Map()));
  let prepared = statements.get(sql) as Statement | undefined;
  if (!prepared) statements.set(sql, (prepared = db.prepare(sql)));
  return prepared;
}
