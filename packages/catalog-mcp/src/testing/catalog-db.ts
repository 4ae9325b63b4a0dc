import { afterAll } from 'vitest';
import { openCatalogDb, type CatalogDb } from '../db/open-catalog-db.ts';

/** The real Chinook copy, opened read-only once per test file and closed after it. */
export function useCatalogDb(): CatalogDb {
  const db = openCatalogDb();
  afterAll(() => db.close());
  return db;
}

/** Strings that must be matched literally: SQL-injection shapes and LIKE wildcards. */
export const HOSTILE_INPUTS = [
  "' OR 1=1 --",
  '" OR ""="',
  "'; DROP TABLE Track; --",
  '%',
  '_',
  '%%',
  '\\',
  '\\%',
  '[a-z]',
  '*',
  'x\u0000y',
] as const;
