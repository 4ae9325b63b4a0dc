import type { Logger } from '../logger.ts';
import type { ToolCallInstrument } from '../tools/define-tool.ts';
import { startTelemetryIfConfigured, type TelemetryOptions } from './start-telemetry.ts';
import { stderrLogger } from './stderr-logger.ts';

export interface ServeContext<Config, Db> {
  config: Config;
  /** The database for the tools (SQL-traced when traces are exported). */
  db: Db;
  instrument: ToolCallInstrument | undefined;
  log: Logger;
}

export interface ServerProcessOptions<Config, Db extends { close(): void }> {
  /** Prefix of every stderr line. */
  name: string;
  service: TelemetryOptions<Db>['service'];
  version: string;
  /** Parses argv and env; a throw is a usage mistake: its message, exit code 2. */
  configure: () => Config;
  /** A throw exits 1 with its message. */
  openDb: (config: Config) => Db;
  /** Starts the transport and returns how to stop it. A throw exits 1 with its message. */
  serve: (context: ServeContext<Config, Db>) => Promise<() => Promise<void>>;
}

/**
 * A server's life: configuration, database, telemetry, transport, then SIGINT/SIGTERM (or stdin closing).
 * A failure to start is one stderr line, never a stack: the message is written for whoever started it.
 */
export async function runServerProcess<Config, Db extends { close(): void }>(options: ServerProcessOptions<Config, Db>): Promise<void> {
  const log = stderrLogger(options.name);
  const fail = (error: unknown, code: number): never => {
    log(error instanceof Error ? error.message : String(error));
    process.exit(code);
  };

  let config: Config;
  try {
    config = options.configure();
  } catch (error) {
    return fail(error, 2);
  }
  let db: Db;
  try {
    db = options.openDb(config);
  } catch (error) {
    return fail(error, 1);
  }
  const telemetry = await startTelemetryIfConfigured({ service: options.service, version: options.version, db, env: process.env });
  // Handlers first: a signal sent as soon as serve() logs that it is up must find them installed.
  let stopping: Promise<() => Promise<void>> | undefined;
  let shuttingDown = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log(`${signal}, shutting down`);
    const stop = await stopping;
    await stop?.().catch((error: unknown) => log(`error while stopping: ${String(error)}`));
    await telemetry?.shutdown();
    db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  stopping = options
    .serve({ config, db: telemetry?.db ?? db, instrument: telemetry?.instrument, log })
    .catch((error: unknown) => fail(error, 1));
  await stopping;
}
