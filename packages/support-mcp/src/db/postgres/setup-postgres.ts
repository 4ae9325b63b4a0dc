import pg from 'pg';
import { loadChinook, type ChinookLoad } from './load-chinook.ts';
import { migratePostgres } from './migrate.ts';

/**
 * What the setup does when DATABASE_URL is set (`scripts/setup-db.ts`, `load-chinook-cli.ts`): Chinook loaded from
 * the SQLite file and verified, then the support server's own tables migrated, so replicas find both ready.
 * Returns the line to print.
 */
export async function setupPostgres({ from, databaseUrl }: { from: string; databaseUrl: string }): Promise<string> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const load = await loadChinook({ from, pool });
    await migratePostgres(pool);
    return describeLoad(load, new URL(databaseUrl).host);
  } finally {
    await pool.end();
  }
}

function describeLoad(load: ChinookLoad, where: string): string {
  const rows = load.tables.reduce((sum, t) => sum + t.rows, 0);
  const what = { loaded: 'loaded', already_loaded: 'already loaded', recorded: 'found and recorded' }[load.kind];
  return `Chinook ${what} in PostgreSQL at ${where} (${load.tables.length} tables, ${rows} rows, counts and checksums verified)`;
}
