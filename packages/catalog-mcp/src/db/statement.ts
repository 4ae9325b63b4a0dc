import type { Statement } from 'better-sqlite3';
import { preparedOnce } from '@algorhythm/mcp-kit/prepared-once';
import type { CatalogDb } from './open-catalog-db.ts';

/** A catalog query's statement, compiled once per database handle (`preparedOnce`), typed by its parameters and row. */
export const statement = <Params extends unknown[], Row>(db: CatalogDb, sql: string): Statement<Params, Row> =>
  preparedOnce(db, sql) as Statement<Params, Row>;
