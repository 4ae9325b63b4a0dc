import { SpanKind, trace } from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import { dbAttributes } from './attributes.ts';
import { ATTR, spanName } from './names.ts';
import { withSpanSync } from './with-span.ts';

/**
 * Database CLIENT spans for a synchronous SQL driver shaped like better-sqlite3
 * (`db.prepare(sql)` → statement with `run`/`get`/`all`), without the servers' query code knowing:
 * the composition root wraps the handle it passes down. One span per executed statement, named
 * `{operation} {table}` from the SQL text (db-spans.md: operation and collection, never the query
 * text or parameters), with the rows a `get`/`all` returned. Statements run with no active span
 * (start-up, migrations) are not traced: a database span without a request around it is noise.
 */

const EXECUTE = new Set<PropertyKey>(['run', 'get', 'all']);

export interface SqlSpanOptions {
  tracer: Tracer;
  /** `db.system.name`, e.g. DB_SYSTEM.sqlite. */
  system: string;
}

export function traceSqlStatements<D extends object>(db: D, options: SqlSpanOptions): D {
  return new Proxy(db, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (property === 'prepare') {
        return (sql: string, ...rest: unknown[]) => traceStatement(value.call(target, sql, ...rest) as object, sql, options);
      }
      return value.bind(target);
    },
  });
}

function traceStatement<S extends object>(statement: S, sql: string, options: SqlSpanOptions): S {
  const summary = sqlSummary(sql);
  const proxy: S = new Proxy(statement, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (!EXECUTE.has(property)) {
        // Chaining (`pluck()`, `raw()`, `bind()`) returns the statement: keep returning the proxy.
        return (...args: unknown[]) => {
          const result: unknown = value.apply(target, args);
          return result === target ? proxy : result;
        };
      }
      return (...args: unknown[]) => {
        if (!trace.getActiveSpan()) return value.apply(target, args);
        return withSpanSync(
          options.tracer,
          spanName.db(summary.operation, summary.collection),
          {
            kind: SpanKind.CLIENT,
            attributes: dbAttributes({ system: options.system, operation: summary.operation, collection: summary.collection }),
          },
          (span) => {
            const result: unknown = value.apply(target, args);
            if (property === 'all' && Array.isArray(result)) span.setAttribute(ATTR.dbResponseReturnedRows, result.length);
            if (property === 'get') span.setAttribute(ATTR.dbResponseReturnedRows, result === undefined ? 0 : 1);
            return result;
          },
        );
      };
    },
  });
  return proxy;
}

export interface SqlSummary {
  /** The statement's keyword, upper case: SELECT, INSERT, UPDATE, DELETE… (a CTE's main statement). */
  operation: string;
  /** The main table: after the top-level FROM (SELECT, DELETE), INTO (INSERT), or UPDATE. */
  collection?: string;
}

const TOKEN = /'(?:[^']|'')*'|"(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|--[^\n]*|\/\*[\s\S]*?\*\/|[()]|[A-Za-z_][\w$]*(?:\.[A-Za-z_][\w$]*)?|[^\s()]/g;
const STATEMENTS = new Set(['SELECT', 'INSERT', 'REPLACE', 'UPDATE', 'DELETE']);
const TABLE_AFTER: Record<string, string> = { SELECT: 'FROM', DELETE: 'FROM', INSERT: 'INTO', REPLACE: 'INTO' };
const cache = new Map<string, SqlSummary>();
const CACHE_LIMIT = 512;

/** Operation and main table of a SQL statement, ignoring subqueries, strings and comments. */
export function sqlSummary(sql: string): SqlSummary {
  const cached = cache.get(sql);
  if (cached) return cached;
  const summary = summarize(sql);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(sql, summary);
  return summary;
}

function summarize(sql: string): SqlSummary {
  // Top-level tokens only; `null` stands for a parenthesized group.
  const tokens: Array<string | null> = [];
  let depth = 0;
  for (const [token] of sql.matchAll(TOKEN)) {
    if (token.startsWith('--') || token.startsWith('/*')) continue;
    if (token === '(') {
      if (depth++ === 0) tokens.push(null);
    } else if (token === ')') {
      depth = Math.max(0, depth - 1);
    } else if (depth === 0) {
      tokens.push(token);
    }
  }
  const words = tokens.map((t) => t?.toUpperCase() ?? null);
  const first = words[0];
  if (!first) return { operation: 'UNKNOWN' };
  const start = first === 'WITH' ? words.findIndex((w) => w !== null && STATEMENTS.has(w)) : 0;
  if (start < 0) return { operation: 'WITH' };
  const operation = words[start]!;
  let at: number;
  if (operation === 'UPDATE') {
    at = start + 1;
    if (words[at] === 'OR') at += 2; // UPDATE OR IGNORE t
  } else {
    const keyword = TABLE_AFTER[operation];
    const found = keyword ? words.indexOf(keyword, start + 1) : -1;
    at = found < 0 ? -1 : found + 1;
  }
  const table = at > 0 ? tokens[at] : undefined;
  return table && /^[A-Za-z_"`[]/.test(table) ? { operation, collection: unquote(table) } : { operation };
}

function unquote(name: string): string {
  return name.replace(/^["`[]|["`\]]$/g, '').replace(/""/g, '"');
}
