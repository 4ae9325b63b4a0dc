import pg from 'pg';
import { CHINOOK_LOADS_TABLE } from './chinook-tables.ts';
import { migratePostgres } from './migrate.ts';

/**
 * The support server's PostgreSQL handle: one pool shared by every request. `close()` is synchronous like
 * better-sqlite3's (the process runner calls it just before exiting); the pool ends in the background.
 */
export class PostgresDb {
  readonly pool: pg.Pool;

  constructor(url: string, { max = 10 }: { max?: number } = {}) {
    this.pool = new pg.Pool({ connectionString: url, max });
    // An idle client losing its server (restart, failover) must not crash the process; the next query reconnects.
    this.pool.on('error', () => {});
  }

  close(): void {
    void this.pool.end().catch(() => {});
  }
}

/**
 * Refuses a database the Chinook loader has not filled (`load-chinook-cli.ts`), then applies the support
 * migrations. Async, unlike opening: run before serving.
 */
export async function preparePostgresDb(db: PostgresDb): Promise<void> {
  const { rows } = await db.pool.query<{ loaded: boolean }>(
    `SELECT to_regclass($1) IS NOT NULL AND to_regclass('"Invoice"') IS NOT NULL AS loaded`,
    [CHINOOK_LOADS_TABLE],
  );
  if (!rows[0]?.loaded) {
    throw new Error('the PostgreSQL database has no Chinook data: load it first (node scripts/setup-db.ts with DATABASE_URL set)');
  }
  await migratePostgres(db.pool);
}
