import type { SupportStorage } from '../config.ts';
import type { SupportDatabase } from '../store/open-store.ts';
import { openSupportDb } from './open-db.ts';
import { PostgresDb, preparePostgresDb } from './postgres/postgres-db.ts';
import { getOrCreateSecret } from './secret-store.ts';

export type ServiceStorage = SupportStorage & { dbPath: string };

/** PostgreSQL when a database URL is configured (shared by replicas), else the working SQLite copy. */
export const openServiceDb = (storage: ServiceStorage): SupportDatabase =>
  storage.databaseUrl === undefined ? openSupportDb(storage.dbPath) : new PostgresDb(storage.databaseUrl);

/**
 * Checks the database is ready to serve; says which key seals approval states (PostgreSQL: the shared one from the
 * environment, the config insists) and how to name the database in log lines.
 */
export async function prepareServiceDb(
  storage: ServiceStorage,
  db: SupportDatabase,
): Promise<{ requestStateKey: string; name: string; where: string }> {
  if (db instanceof PostgresDb) {
    if (storage.databaseUrl === undefined) throw new Error('a PostgreSQL handle without a database URL');
    await preparePostgresDb(db);
    const name = `postgres ${new URL(storage.databaseUrl).host}`;
    return { requestStateKey: storage.requestStateKey, name, where: name };
  }
  return { requestStateKey: storage.requestStateKey ?? getOrCreateSecret(db, 'request_state_key'), name: storage.dbPath, where: `db ${storage.dbPath}` };
}
