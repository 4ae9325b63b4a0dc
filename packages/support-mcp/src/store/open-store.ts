import type { SupportDb } from '../db/open-db.ts';
import { PostgresDb } from '../db/postgres/postgres-db.ts';
import { postgresSupportStore } from './postgres-store.ts';
import { sqliteSupportStore } from './sqlite-store.ts';
import type { SupportStore } from './support-store.ts';

/** The database the server was started on: the working SQLite copy, or PostgreSQL shared by replicas. */
export type SupportDatabase = SupportDb | PostgresDb;

/** The one place that picks the store for a database. */
export function openSupportStore(db: SupportDatabase, clock?: () => Date): SupportStore {
  return db instanceof PostgresDb ? postgresSupportStore(db, clock) : sqliteSupportStore(db, clock);
}
