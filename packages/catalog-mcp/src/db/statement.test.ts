import { afterAll, expect, it } from 'vitest';
import { traceSqlStatements } from '@algorhythm/telemetry';
import { trace } from '@opentelemetry/api';
import { useCatalogDb } from '../testing/catalog-db.ts';
import { openCatalogDb } from './open-catalog-db.ts';
import { statement } from './statement.ts';

const db = useCatalogDb();
const SQL = 'SELECT Name AS name FROM Artist WHERE ArtistId = ?';

it('compiles a query once per database handle and answers from the same statement every time', () => {
  const first = statement<[number], { name: string }>(db, SQL);
  expect(statement(db, SQL)).toBe(first);
  expect(first.get(1)).toEqual({ name: 'AC/DC' });
  expect(statement<[number], { name: string }>(db, SQL).get(2)).toEqual({ name: 'Accept' });
});

it('keeps one cache per handle, a traced handle included', () => {
  const other = openCatalogDb();
  afterAll(() => other.close());
  const traced = traceSqlStatements(other, { tracer: trace.getTracer('test'), system: 'sqlite' });
  expect(statement(other, SQL)).not.toBe(statement(db, SQL));
  expect(statement(traced, SQL)).toBe(statement(traced, SQL));
  expect(statement<[number], { name: string }>(traced, SQL).get(1)).toEqual({ name: 'AC/DC' });
});
