import { describe, expect, it } from 'vitest';
import { ConfigError, parseCatalogConfig } from './config.ts';
import { defaultCatalogDbPath } from './db/open-catalog-db.ts';

describe('parseCatalogConfig', () => {
  it('defaults to stdio on the repo database', () => {
    expect(parseCatalogConfig([], {})).toEqual({
      transport: 'stdio',
      host: '127.0.0.1',
      port: 3001,
      dbPath: defaultCatalogDbPath,
      allowedHosts: undefined,
      help: false,
    });
    expect(defaultCatalogDbPath).toMatch(/data[\\/]chinook\.db$/);
  });

  it('takes --db over CHINOOK_DB over the default', () => {
    expect(parseCatalogConfig([], { CHINOOK_DB: '/env.db' }).dbPath).toBe('/env.db');
    expect(parseCatalogConfig(['--db', '/flag.db'], { CHINOOK_DB: '/env.db' }).dbPath).toBe('/flag.db');
  });

  it('parses HTTP options', () => {
    const c = parseCatalogConfig(['--http', '--port', '0', '--host', '0.0.0.0', '--allowed-host', 'catalog.internal'], {});
    expect(c).toMatchObject({ transport: 'http', port: 0, host: '0.0.0.0', allowedHosts: ['catalog.internal'] });
  });

  it('rejects unknown flags, bad ports and HTTP flags without --http', () => {
    expect(() => parseCatalogConfig(['--nope'], {})).toThrow(ConfigError);
    expect(() => parseCatalogConfig(['--http', '--port', 'abc'], {})).toThrow(/--port must be an integer/);
    expect(() => parseCatalogConfig(['--http', '--port', '70000'], {})).toThrow(/--port/);
    expect(() => parseCatalogConfig(['--port', '3001'], {})).toThrow(/only apply with --http/);
  });
});
