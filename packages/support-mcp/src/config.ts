import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_APPROVAL_TTL_SECONDS } from './server.ts';

export const DEFAULT_DB_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '../../../data/chinook.db');
export const DEFAULT_HTTP_PORT = 8765;
export const MIN_KEY_BYTES = 32;

/**
 * Where the data lives. PostgreSQL is shared by support replicas, so they must all seal approval states with one key
 * from the environment: no replica may generate its own.
 */
export type SupportStorage =
  /** The working SQLite copy at `dbPath`; without REQUEST_STATE_KEY the key persisted in that file is used. */
  | { databaseUrl: undefined; requestStateKey: string | undefined }
  /** `--database-url` or DATABASE_URL: Chinook loaded by the setup (load-chinook-cli.ts), shared by every replica. */
  | { databaseUrl: string; requestStateKey: string };

export type SupportConfig = SupportStorage & {
  /** The SQLite file (unused with a database URL). */
  dbPath: string;
  transport:
    | { kind: 'stdio'; customerId: number }
    | {
        kind: 'http';
        host: string;
        port: number;
        tokenSecret: string;
        /** Exit when stdin closes: a host that spawned this service dies, even by SIGKILL, and the service follows. */
        untilStdinCloses: boolean;
      };
  approvalTtlSeconds: number;
};

/** A configuration mistake: main prints its message as one stderr line and exits non-zero. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export const USAGE =
  'usage: algorhythm-support-mcp [--db PATH | --database-url postgres://…] (--customer-id N | --http [--port N] [--host 127.0.0.1] [--until-stdin-closes])';

function positiveInteger(raw: string, what: string, { allowZero = false } = {}): number {
  if (!/^[0-9]+$/.test(raw.trim())) throw new ConfigError(`${what} must be a ${allowZero ? 'non-negative' : 'positive'} integer (got "${raw}")`);
  const value = Number(raw.trim());
  if (!Number.isSafeInteger(value) || (!allowZero && value === 0)) {
    throw new ConfigError(`${what} must be a ${allowZero ? 'non-negative' : 'positive'} integer (got "${raw}")`);
  }
  return value;
}

function secret(value: string | undefined, name: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (Buffer.byteLength(value, 'utf8') < MIN_KEY_BYTES) {
    throw new ConfigError(`${name} must be at least ${MIN_KEY_BYTES} bytes long`);
  }
  return value;
}

function storageOf(databaseUrl: string | undefined, requestStateKey: string | undefined): SupportStorage {
  if (databaseUrl === undefined || databaseUrl === '') return { databaseUrl: undefined, requestStateKey };
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) throw new ConfigError('DATABASE_URL (--database-url) must be a postgres:// URL');
  if (!requestStateKey) {
    throw new ConfigError('with DATABASE_URL every support replica must share REQUEST_STATE_KEY (at least 32 bytes): set it in the environment');
  }
  return { databaseUrl, requestStateKey };
}

/** Command line and environment to configuration; the only place that reads them. Pure: tested directly. */
export function parseConfig(argv: string[], env: Record<string, string | undefined>): SupportConfig {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        db: { type: 'string' },
        'database-url': { type: 'string' },
        'customer-id': { type: 'string' },
        http: { type: 'boolean', default: false },
        port: { type: 'string' },
        host: { type: 'string' },
        'until-stdin-closes': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.help) throw new ConfigError(USAGE);

  const dbPath = resolve(values.db ?? (env['CHINOOK_DB'] || DEFAULT_DB_PATH));
  const approvalTtlSeconds = env['APPROVAL_TTL_SECONDS']
    ? positiveInteger(env['APPROVAL_TTL_SECONDS'], 'APPROVAL_TTL_SECONDS')
    : DEFAULT_APPROVAL_TTL_SECONDS;
  const storage = storageOf(values['database-url'] ?? env['DATABASE_URL'], secret(env['REQUEST_STATE_KEY'], 'REQUEST_STATE_KEY'));

  if (values.http) {
    if (values['customer-id'] !== undefined) {
      throw new ConfigError('--customer-id is for stdio only; over HTTP the customer comes from each bearer token');
    }
    const tokenSecret = secret(env['SUPPORT_TOKEN_SECRET'], 'SUPPORT_TOKEN_SECRET');
    if (!tokenSecret) {
      throw new ConfigError('HTTP mode needs SUPPORT_TOKEN_SECRET (the secret shared with the agent host, at least 32 bytes)');
    }
    const port = values.port === undefined ? DEFAULT_HTTP_PORT : positiveInteger(values.port, '--port', { allowZero: true });
    if (port > 65535) throw new ConfigError(`--port must be at most 65535 (got ${port})`);
    return {
      dbPath,
      transport: { kind: 'http', host: values.host ?? '127.0.0.1', port, tokenSecret, untilStdinCloses: values['until-stdin-closes'] },
      ...storage,
      approvalTtlSeconds,
    };
  }

  if (values.port !== undefined || values.host !== undefined || values['until-stdin-closes']) {
    throw new ConfigError('--port, --host and --until-stdin-closes need --http');
  }
  const rawCustomer = values['customer-id'] ?? env['CUSTOMER_ID'];
  if (rawCustomer === undefined || rawCustomer === '') {
    throw new ConfigError('stdio mode serves one customer: pass --customer-id N or set CUSTOMER_ID');
  }
  return {
    dbPath,
    transport: { kind: 'stdio', customerId: positiveInteger(rawCustomer, 'customer id') },
    ...storage,
    approvalTtlSeconds,
  };
}
