import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_DB_PATH, parseConfig } from './config.ts';
import { DEFAULT_APPROVAL_TTL_SECONDS } from './server.ts';

const secret = 's'.repeat(32);

describe('parseConfig', () => {
  it('stdio from --customer-id or CUSTOMER_ID, with the default database path', () => {
    expect(parseConfig(['--customer-id', '16'], {})).toEqual({
      dbPath: DEFAULT_DB_PATH,
      transport: { kind: 'stdio', customerId: 16 },
      requestStateKey: undefined,
      approvalTtlSeconds: DEFAULT_APPROVAL_TTL_SECONDS,
    });
    expect(parseConfig([], { CUSTOMER_ID: '3', CHINOOK_DB: 'x.db' })).toMatchObject({
      dbPath: resolve('x.db'),
      transport: { kind: 'stdio', customerId: 3 },
    });
    expect(parseConfig(['--db', 'y.db', '--customer-id', '1'], { CHINOOK_DB: 'x.db' }).dbPath).toBe(resolve('y.db'));
    expect(DEFAULT_DB_PATH.endsWith('/data/chinook.db')).toBe(true);
  });

  it('http with the token secret, port and host', () => {
    expect(parseConfig(['--http', '--port', '0'], { SUPPORT_TOKEN_SECRET: secret, APPROVAL_TTL_SECONDS: '60' })).toMatchObject({
      transport: { kind: 'http', host: '127.0.0.1', port: 0, tokenSecret: secret, untilStdinCloses: false },
      approvalTtlSeconds: 60,
    });
    expect(parseConfig(['--http', '--until-stdin-closes'], { SUPPORT_TOKEN_SECRET: secret }).transport).toMatchObject({ untilStdinCloses: true });
  });

  it('PostgreSQL from --database-url or DATABASE_URL, with the shared REQUEST_STATE_KEY', () => {
    const key = 'k'.repeat(32);
    expect(parseConfig(['--http', '--database-url', 'postgres://db/support'], { SUPPORT_TOKEN_SECRET: secret, REQUEST_STATE_KEY: key })).toMatchObject({
      databaseUrl: 'postgres://db/support',
      requestStateKey: key,
      transport: { kind: 'http' },
    });
    expect(parseConfig(['--customer-id', '1'], { DATABASE_URL: 'postgresql://db/x', REQUEST_STATE_KEY: key }).databaseUrl).toBe('postgresql://db/x');
    // The flag wins over the environment; without either, SQLite as before.
    expect(parseConfig(['--customer-id', '1', '--database-url', 'postgres://a/b'], { DATABASE_URL: 'postgres://c/d', REQUEST_STATE_KEY: key }).databaseUrl).toBe('postgres://a/b');
    expect(parseConfig(['--customer-id', '1'], {}).databaseUrl).toBeUndefined();
  });

  it.each([
    [[], {}, /--customer-id N or set CUSTOMER_ID/],
    [['--customer-id', 'abc'], {}, /positive integer/],
    [['--customer-id', '-1'], {}, /./],
    [['--customer-id', '0'], {}, /positive integer/],
    [['--customer-id', '1; DROP TABLE Customer'], {}, /positive integer/],
    [['--http'], {}, /SUPPORT_TOKEN_SECRET/],
    [['--http'], { SUPPORT_TOKEN_SECRET: 'short' }, /at least 32 bytes/],
    [['--http', '--customer-id', '1'], { SUPPORT_TOKEN_SECRET: secret }, /stdio only/],
    [['--http', '--port', '70000'], { SUPPORT_TOKEN_SECRET: secret }, /at most 65535/],
    [['--customer-id', '1', '--port', '1'], {}, /need --http/],
    [['--customer-id', '1', '--until-stdin-closes'], {}, /need --http/],
    [['--customer-id', '1'], { REQUEST_STATE_KEY: 'short' }, /REQUEST_STATE_KEY/],
    [['--customer-id', '1'], { APPROVAL_TTL_SECONDS: '1.5' }, /APPROVAL_TTL_SECONDS/],
    [['--bogus'], {}, /Unknown option/],
    [['--customer-id', '1'], { DATABASE_URL: 'postgres://db/x' }, /^with DATABASE_URL every support replica must share REQUEST_STATE_KEY/],
    [['--customer-id', '1', '--database-url', 'postgres://db/x'], { REQUEST_STATE_KEY: 'short' }, /REQUEST_STATE_KEY must be at least 32 bytes/],
    [['--customer-id', '1'], { DATABASE_URL: 'mysql://db/x', REQUEST_STATE_KEY: 'k'.repeat(32) }, /must be a postgres:\/\/ URL/],
  ] as const)('refuses %j %j', (argv, env, message) => {
    expect(() => parseConfig([...argv], env)).toThrow(ConfigError);
    expect(() => parseConfig([...argv], env)).toThrow(message);
  });
});
