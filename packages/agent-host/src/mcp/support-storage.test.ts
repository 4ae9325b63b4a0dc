import { expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { purposeKey, supportStateKey } from '../secrets.ts';
import { prepareSupportStorage, supportStorage } from './support-storage.ts';

const SECRET = 'test-session-secret-0123456789-abcdef';
const shared = { DATA_DIR: '/data', SESSION_SECRET: SECRET, ADMIN_TOKEN: 'test-admin-token-0123456789' };
const onPostgres = { ...shared, DATABASE_URL: 'postgres://u:p@db:5432/algorhythm' };

it('without DATABASE_URL the support service gets the SQLite copy, as before', () => {
  expect(supportStorage(loadConfig(shared))).toEqual({ args: ['--db', '/data/chinook.db'], env: {} });
});

it('with DATABASE_URL: the URL in its environment (never argv), a state key every replica derives alike', () => {
  const storage = supportStorage(loadConfig(onPostgres));
  expect(storage.args).toEqual([]);
  expect(storage.env).toEqual({ DATABASE_URL: 'postgres://u:p@db:5432/algorhythm', REQUEST_STATE_KEY: supportStateKey(SECRET) });
  // Same secret, same key (another replica); ≥ 32 bytes as support-mcp requires; unlike the cookie keys.
  expect(supportStateKey(SECRET)).toBe(supportStateKey(SECRET));
  expect(Buffer.byteLength(supportStateKey(SECRET))).toBeGreaterThanOrEqual(32);
  expect(supportStateKey(SECRET)).not.toBe(purposeKey(SECRET, 'customer-session'));
  expect(supportStateKey(`${SECRET}x`)).not.toBe(supportStateKey(SECRET));
  // An operator's REQUEST_STATE_KEY wins.
  const given = 'k'.repeat(40);
  expect(supportStorage(loadConfig({ ...onPostgres, REQUEST_STATE_KEY: given })).env['REQUEST_STATE_KEY']).toBe(given);
});

it('loads Chinook into PostgreSQL only for the host-started shared service', async () => {
  // Nothing to do (and no connection tried): SQLite, a stdio child per customer, or a service someone else runs.
  expect(await prepareSupportStorage(loadConfig(shared))).toBeUndefined();
  expect(await prepareSupportStorage(loadConfig({ ...onPostgres, SUPPORT_MCP_MODE: 'stdio-per-customer' }))).toBeUndefined();
  expect(
    await prepareSupportStorage(loadConfig({ ...onPostgres, SUPPORT_MCP_URL: 'http://support:3001/mcp', SUPPORT_TOKEN_SECRET: 's'.repeat(32) })),
  ).toBeUndefined();
});
