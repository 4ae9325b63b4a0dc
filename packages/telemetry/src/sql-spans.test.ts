import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ATTR, DB_SYSTEM } from './names.ts';
import { sqlSummary, traceSqlStatements } from './sql-spans.ts';

describe('sqlSummary', () => {
  it.each([
    ['SELECT * FROM Album WHERE AlbumId = ?', 'SELECT', 'Album'],
    ['  select a.Title from "Album" a join Artist ar on ar.ArtistId = a.ArtistId', 'SELECT', 'Album'],
    [
      `SELECT i.InvoiceId, (SELECT SUM(l.Quantity) FROM InvoiceLine l WHERE l.InvoiceId = i.InvoiceId) AS n,
              EXISTS (SELECT 1 FROM algorhythm_refunds r WHERE r.invoice_id = i.InvoiceId) AS refunded
         FROM Invoice i -- FROM Customer
        WHERE i.CustomerId = ?`,
      'SELECT',
      'Invoice',
    ],
    ["SELECT 'FROM Track' AS x FROM Genre", 'SELECT', 'Genre'],
    ['INSERT INTO algorhythm_refunds (invoice_id) VALUES (?)', 'INSERT', 'algorhythm_refunds'],
    ['UPDATE OR IGNORE Track SET Name = ?', 'UPDATE', 'Track'],
    ['DELETE FROM main.Playlist WHERE 1', 'DELETE', 'main.Playlist'],
    ['WITH t AS (SELECT * FROM Track) SELECT COUNT(*) FROM t', 'SELECT', 't'],
    ['SELECT 1', 'SELECT', undefined],
    ['SELECT * FROM (SELECT 1)', 'SELECT', undefined],
    ['PRAGMA journal_mode = WAL', 'PRAGMA', undefined],
  ])('%s', (sql, operation, collection) => {
    expect(sqlSummary(sql)).toEqual(collection ? { operation, collection } : { operation });
  });
});

/** A stand-in with better-sqlite3's shape: the real driver is exercised by the servers' own tests. */
class FakeStatement {
  readonly sql: string;
  plucked = false;
  constructor(sql: string) {
    this.sql = sql;
  }
  pluck(): this {
    this.plucked = true;
    return this;
  }
  all(): unknown[] {
    return this.plucked ? ['a', 'b'] : [{ Title: 'a' }, { Title: 'b' }];
  }
  get(id: number): unknown {
    return id === 1 ? { Title: 'a' } : undefined;
  }
  run(): { changes: number } {
    if (this.sql.includes('dup')) throw Object.assign(new Error('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    return { changes: 1 };
  }
}
class FakeDb {
  #open = true;
  get open(): boolean {
    return this.#open;
  }
  prepare(sql: string): FakeStatement {
    return new FakeStatement(sql);
  }
  transaction<T>(fn: () => T): () => T {
    if (!(this instanceof FakeDb)) throw new TypeError('Illegal invocation');
    return () => fn();
  }
}

describe('traceSqlStatements', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const tracer = provider.getTracer('test');
  const traced = traceSqlStatements(new FakeDb(), { tracer, system: DB_SYSTEM.sqlite });

  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  });
  afterAll(() => context.disable());
  beforeEach(() => exporter.reset());

  it('makes one span per statement run inside a span, with the rows returned, and none outside one', () => {
    expect(traced.prepare('SELECT Title FROM Album').pluck().all()).toEqual(['a', 'b']);
    expect(exporter.getFinishedSpans()).toHaveLength(0);

    const parent = tracer.startSpan('tools/call x');
    context.with(trace.setSpan(context.active(), parent), () => {
      expect(traced.prepare('SELECT Title FROM Album').pluck().all()).toEqual(['a', 'b']);
      expect(traced.prepare('SELECT * FROM Album WHERE AlbumId = ?').get(9)).toBeUndefined();
      traced.transaction(() => traced.prepare('INSERT INTO Album (Title) VALUES (?)').run())();
    });
    parent.end();

    const spans = exporter.getFinishedSpans().filter((s) => s !== undefined && s.name !== 'tools/call x');
    expect(spans.map((s) => s.name)).toEqual(['SELECT Album', 'SELECT Album', 'INSERT Album']);
    expect(spans.every((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId)).toBe(true);
    expect(spans.every((s) => s.kind === SpanKind.CLIENT)).toBe(true);
    expect(spans[0]!.attributes).toEqual({
      [ATTR.dbSystemName]: 'sqlite',
      [ATTR.dbOperationName]: 'SELECT',
      [ATTR.dbCollectionName]: 'Album',
      [ATTR.dbResponseReturnedRows]: 2,
    });
    expect(spans[1]!.attributes[ATTR.dbResponseReturnedRows]).toBe(0);
    expect(spans[2]!.attributes[ATTR.dbResponseReturnedRows]).toBeUndefined();
    expect(traced.open).toBe(true);
  });

  it('records a failing statement and rethrows it', () => {
    const parent = tracer.startSpan('p');
    context.with(trace.setSpan(context.active(), parent), () => {
      expect(() => traced.prepare('INSERT INTO Album VALUES (dup)').run()).toThrow(/UNIQUE/);
    });
    parent.end();
    const span = exporter.getFinishedSpans().find((s) => s.name === 'INSERT Album');
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes[ATTR.errorType]).toBe('SQLITE_CONSTRAINT_PRIMARYKEY');
  });
});
