import { afterAll } from 'vitest';
import { startPostgresServer, type PostgresServer } from './postgres-server.ts';

/**
 * A throwaway PostgreSQL 15 server for tests (temp folder, durability off, removed at stop). The server itself
 * lives in `postgres-server.ts`, which `pnpm cluster` uses too; this file adds the test-file hook.
 */

export { PG_BIN } from './postgres-server.ts';
export type TestPostgres = PostgresServer;

export function startTestPostgres(): Promise<TestPostgres> {
  return startPostgresServer();
}

/**
 * One server for the calling test file, started on first use and stopped after its last test (also when a
 * test failed). Call at the top level of a test file.
 */
export function useTestPostgres(): () => Promise<TestPostgres> {
  let server: Promise<TestPostgres> | undefined;
  afterAll(async () => {
    if (server) await (await server.catch(() => undefined))?.stop();
  });
  return () => (server ??= startTestPostgres());
}
