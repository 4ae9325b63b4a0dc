// Loads Chinook from a SQLite file into PostgreSQL and migrates the support tables (setup-postgres.ts):
//   node packages/support-mcp/src/db/postgres/load-chinook-cli.ts --from data/chinook.pristine.sqlite --database-url postgres://…
// Exit 0 when loaded or already loaded; 1 with the reason (which tables differ) when refused or unverified.
import { parseArgs } from 'node:util';
import { setupPostgres } from './setup-postgres.ts';

const { values } = parseArgs({ options: { from: { type: 'string' }, 'database-url': { type: 'string' } }, strict: true });
if (!values.from || !values['database-url']) {
  console.error('usage: load-chinook-cli.ts --from CHINOOK.sqlite --database-url postgres://…');
  process.exit(2);
}
try {
  console.error(`load-chinook: ${await setupPostgres({ from: values.from, databaseUrl: values['database-url'] })}`);
} catch (error) {
  console.error(`load-chinook: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
