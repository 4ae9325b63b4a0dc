import { parseArgs } from 'node:util';
import { defaultCatalogDbPath } from './db/default-path.ts';

export interface CatalogConfig {
  transport: 'stdio' | 'http';
  host: string;
  port: number;
  dbPath: string;
  /** Extra Host names accepted in HTTP mode (for a non-loopback bind); undefined = the defaults. */
  allowedHosts: string[] | undefined;
  help: boolean;
}

export const USAGE = `Usage: algorhythm-catalog-mcp [--http] [--port N] [--host ADDR] [--allowed-host NAME]... [--db PATH]

Serves the Algorhythm music catalog (Chinook, read-only) over MCP.
  (default)            stdio transport, for Claude Desktop and other MCP hosts; logs go to stderr
  --http               Streamable HTTP on http://HOST:PORT/mcp (both 2026-07-28 and 2025-era clients)
  --port N             HTTP port (default 3001; 0 picks a free port)
  --host ADDR          HTTP bind address (default 127.0.0.1)
  --allowed-host NAME  Host header name to accept besides localhost (repeatable; needed for a non-loopback bind)
  --db PATH            Chinook database file (default: $CHINOOK_DB, else <repo>/data/chinook.db)
`;

export class ConfigError extends Error {
  readonly kind = 'config';
  constructor(message: string) {
    super(`${message}\n\n${USAGE}`);
    this.name = 'ConfigError';
  }
}

/** Pure: argv (without node and script) and env in, config out. The only place CHINOOK_DB is read. */
export function parseCatalogConfig(argv: string[], env: Record<string, string | undefined>): CatalogConfig {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        http: { type: 'boolean', default: false },
        port: { type: 'string' },
        host: { type: 'string' },
        'allowed-host': { type: 'string', multiple: true },
        db: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
  const port = values.port === undefined ? 3001 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`--port must be an integer from 0 to 65535, got '${values.port}'`);
  if (!values.http && (values.port !== undefined || values.host !== undefined || values['allowed-host'] !== undefined)) {
    throw new ConfigError('--port, --host and --allowed-host only apply with --http');
  }
  return {
    transport: values.http ? 'http' : 'stdio',
    host: values.host ?? '127.0.0.1',
    port,
    dbPath: values.db ?? (env.CHINOOK_DB || defaultCatalogDbPath),
    allowedHosts: values['allowed-host'],
    help: values.help ?? false,
  };
}
