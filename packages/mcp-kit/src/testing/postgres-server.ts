import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';

/**
 * A PostgreSQL 15 server of our own, for tests and `pnpm cluster` (no vitest here: `postgres.ts` adds the
 * test-file hook). `initdb` into a folder, `postgres` on a 127.0.0.1 port, stopped by its pid. We may run as
 * root and PostgreSQL refuses to, so both run as the `postgres` OS user (`setpriv`, which execs: the pid we
 * hold is the postmaster's own).
 *
 * - No `dir`: a temp folder, durability off (`fsync`, `synchronous_commit`), removed at stop: nothing outlives
 *   the test run.
 * - `dir`: kept. `initdb` only the first time; later starts reuse the data, with the default durability.
 *
 * A watchdog `sh` holds the other end of a pipe from this process: if this process dies without stopping
 * the server (a crashed worker, SIGKILL), the pipe closes and the watchdog stops the server (and removes a
 * temp folder), so no server is ever left behind.
 */

export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const OS_USER = 'postgres';

export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:PORT/postgres`: the server's maintenance database. */
  url: string;
  pid: number;
  /** Milliseconds from `initdb` (or the start, when the data existed) to accepting connections. */
  startedInMs: number;
  /** True when this start ran `initdb` (always, for a temp folder). */
  created: boolean;
  /** Creates an empty database and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Creates the database unless it exists; returns its URL. */
  ensureDatabase(name: string): Promise<string>;
  dropDatabase(url: string): Promise<void>;
  stop(): Promise<void>;
}

export interface PostgresServerOptions {
  /** A folder kept across starts (the data is in `dir/data`); default: a temp folder removed at stop. */
  dir?: string;
  /** Default: a free port. */
  port?: number;
}

/** Fails (never skips) with a line that says what to install when the server binaries are missing. */
function checkBinaries(): void {
  for (const binary of ['initdb', 'postgres']) {
    if (!existsSync(join(PG_BIN, binary))) {
      throw new Error(
        `PostgreSQL 15 server binaries not found in ${PG_BIN} (${binary}): install them with \`apt-get install -y postgresql-15\` (or set PG_BIN).`,
      );
    }
  }
}

const AS_ROOT = process.getuid?.() === 0;
/** As root: as the `postgres` user (PostgreSQL refuses root). Otherwise: as ourselves. */
const asPostgres = (command: string, args: string[]): readonly [string, string[]] =>
  AS_ROOT
    ? ['setpriv', ['--reuid', OS_USER, '--regid', OS_USER, '--init-groups', '--', join(PG_BIN, command), ...args]]
    : [join(PG_BIN, command), args];

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts `postgres` and resolves once it logs that it accepts connections; rejects with its log if it exits first. */
function startPostmaster({ dir, port, durable }: { dir: string; port: number; durable: boolean }): Promise<ChildProcess> {
  const settings = ['max_connections=200', 'shared_buffers=32MB'];
  if (!durable) settings.push('fsync=off', 'synchronous_commit=off', 'full_page_writes=off');
  const [command, args] = asPostgres('postgres', [
    '-D', join(dir, 'data'),
    '-h', '127.0.0.1',
    '-p', String(port),
    '-k', dir,
    ...settings.flatMap((setting) => ['-c', setting]),
  ]);
  // Its own process group: a Ctrl-C meant for `pnpm cluster` reaches it through our stop(), after the replicas.
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  return new Promise((resolve, reject) => {
    let log = '';
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('database system is ready to accept connections')) {
        child.stderr!.off('data', onData);
        child.stderr!.resume(); // keep draining, never block the server on a full pipe
        child.off('exit', onExit);
        resolve(child);
      }
    };
    const onExit = (code: number | null) => reject(new Error(`postgres exited (${code}) before it was ready:\n${log}`));
    child.stderr!.on('data', onData);
    child.once('exit', onExit);
    child.once('error', reject);
  });
}

/**
 * The watchdog's shell (`$1` the server's folder): `cat` returns when this process's end of the pipe closes,
 * however this process ended; then the postmaster named in `postmaster.pid` gets SIGQUIT, but only if that pid
 * is still a `postgres` process: a file left by a killed server names a pid the system may have given to any
 * other process since (a test's host died of SIGQUIT that way).
 */
export function watchdogScript(temporary: boolean): string {
  const cleanup = temporary ? 'sleep 0.3; rm -rf "$1"' : ':';
  return `cat >/dev/null; pid=$(head -n 1 "$1/data/postmaster.pid" 2>/dev/null); [ -n "$pid" ] && [ "$(cat /proc/$pid/comm 2>/dev/null)" = postgres ] && kill -QUIT "$pid" 2>/dev/null; ${cleanup}`;
}

export async function startPostgresServer(options: PostgresServerOptions = {}): Promise<PostgresServer> {
  checkBinaries();
  const started = performance.now();
  const temporary = !options.dir;
  const dir = options.dir ? resolve(options.dir) : mkdtempSync(join(tmpdir(), 'algorhythm-pg-'));
  mkdirSync(dir, { recursive: true });
  const created = !existsSync(join(dir, 'data', 'PG_VERSION'));
  const watchdog = spawn('sh', ['-c', watchdogScript(temporary), 'pg-watchdog', dir], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  watchdog.unref();
  (watchdog.stdin as unknown as { unref(): void }).unref();

  let postmaster: ChildProcess | undefined;
  let port = options.port ?? 0;
  try {
    const chown = AS_ROOT ? spawnSync('chown', [`${OS_USER}:${OS_USER}`, dir], { encoding: 'utf8' }) : undefined;
    if (chown && chown.status !== 0) throw new Error(`chown ${OS_USER} ${dir} failed: ${chown.stderr}`);
    if (created) {
      const [initdb, initArgs] = asPostgres('initdb', ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8']);
      const init = spawnSync(initdb, initArgs, { encoding: 'utf8' });
      if (init.status !== 0) throw new Error(`initdb failed (${init.status}): ${init.stderr || init.error?.message}`);
    }
    for (let attempt = 0; ; attempt++) {
      if (!options.port) port = await freePort();
      try {
        postmaster = await startPostmaster({ dir, port, durable: !temporary });
        break;
      } catch (error) {
        // Another process may have taken the port between our probe and the bind: try another one.
        if (options.port || attempt >= 2 || !String(error).includes('could not bind')) throw error;
      }
    }
  } catch (error) {
    watchdog.stdin!.end();
    throw error;
  }
  const server = postmaster;
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const startedInMs = Math.round(performance.now() - started);

  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const onExit = () => {
    // Synchronous last resort (process.exit): immediate shutdown; the watchdog removes a temp folder.
    try {
      process.kill(server.pid!, 'SIGQUIT');
    } catch {}
  };
  process.once('exit', onExit);

  const admin = async <T>(fn: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  const urlOf = (name: string) => url.replace(/\/postgres$/, `/${name}`);

  let stopping: Promise<void> | undefined;
  return {
    url,
    pid: server.pid!,
    startedInMs,
    created,
    async createDatabase(name = `test_${randomBytes(6).toString('hex')}`) {
      await admin((client) => client.query(`CREATE DATABASE "${name}"`));
      return urlOf(name);
    },
    async ensureDatabase(name) {
      await admin(async (client) => {
        const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
      });
      return urlOf(name);
    },
    async dropDatabase(databaseUrl) {
      const name = new URL(databaseUrl).pathname.slice(1);
      await admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
    stop() {
      stopping ??= (async () => {
        process.off('exit', onExit);
        // Fast shutdown: aborts open transactions and disconnects clients; immediate if it takes too long.
        server.kill('SIGINT');
        const timer = setTimeout(() => server.kill('SIGQUIT'), 5_000);
        await exited;
        clearTimeout(timer);
        if (temporary) rmSync(dir, { recursive: true, force: true });
        watchdog.stdin!.end();
      })();
      return stopping;
    },
  };
}
