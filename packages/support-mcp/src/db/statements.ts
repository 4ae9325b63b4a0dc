import type { Statement } from 'better-sqlite3';
import { preparedOnce } from '@algorhythm/mcp-kit/prepared-once';
import type { SupportDb } from './open-db.ts';

/** A support query's statement, compiled once per database handle (`preparedOnce`). */
export const statement = (db: SupportDb, sql: string): Statement => preparedOnce(db, sql);
