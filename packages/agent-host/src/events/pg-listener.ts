import type { Client } from 'pg';

export interface PgListenerOptions {
  /** The loaded `pg` module (loaded by the caller, after any instrumentation). */
  pg: typeof import('pg');
  url: string;
  channel: string;
  /** A notification arrived: something new may be in the table. */
  onNotify: () => void;
  /** (Re)connected and listening: notifications may have been missed meanwhile, so catch up now. */
  onConnect: () => void;
  log: (line: string) => void;
  /** Pause before reconnecting after the connection broke or could not be made. */
  reconnectMs?: number;
  /** How often the connection is checked with a query, and how long that may take before it counts as lost. */
  heartbeatMs?: number;
}

export interface PgListener {
  /** 'ok' while connected and listening, else why not. */
  status(): string;
  close(): Promise<void>;
}

/**
 * One dedicated connection that LISTENs (graphile-worker style): on any error it is dropped and a new one made
 * after a pause, for as long as the process runs. A server that stopped answering (frozen, network gone) is
 * caught by a periodic `SELECT 1` with a deadline, since a silent TCP connection raises no error by itself.
 */
export function startPgListener(options: PgListenerOptions): PgListener & { ready: Promise<void> } {
  const reconnectMs = options.reconnectMs ?? 1_000;
  const heartbeatMs = options.heartbeatMs ?? 5_000;
  let closed = false;
  let current: Client | undefined;
  let problem: string | undefined = 'connecting';
  let wake: (() => void) | undefined;
  let firstAttempt!: () => void;
  const ready = new Promise<void>((resolve) => (firstAttempt = resolve));

  const drop = (client: Client) => {
    // end() waits for the server's goodbye, which a frozen server never sends: close the socket too.
    void client.end().catch(() => {});
    (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  };

  let lost = false;

  /** One connection's life: connect, LISTEN, then wait until it breaks; resolves with why it ended. */
  async function session(client: Client): Promise<string> {
    let stalled = false;
    const ended = new Promise<string>((resolve) => {
      client.on('error', (error) => resolve(error.message));
      client.on('end', () => resolve(stalled ? 'the database stopped answering' : 'connection closed'));
    });
    await Promise.race([
      (async () => {
        await client.connect();
        await client.query(`LISTEN ${options.channel}`);
      })(),
      ended.then((why) => Promise.reject(new Error(why))),
    ]);
    client.on('notification', () => options.onNotify());
    problem = undefined;
    if (lost) options.log('events: listener reconnected');
    lost = false;
    firstAttempt();
    options.onConnect();
    const heartbeat = setInterval(() => {
      const deadline = setTimeout(() => {
        stalled = true;
        drop(client);
      }, heartbeatMs);
      const clear = () => clearTimeout(deadline);
      client.query('SELECT 1').then(clear, clear);
    }, heartbeatMs);
    try {
      return await ended;
    } finally {
      clearInterval(heartbeat);
    }
  }

  void (async () => {
    while (!closed) {
      const client = new options.pg.Client({ connectionString: options.url, connectionTimeoutMillis: 5_000, keepAlive: true });
      current = client;
      let why: string;
      try {
        why = await session(client);
      } catch (error) {
        why = error instanceof Error ? error.message : String(error);
      }
      client.on('error', () => {}); // late errors of a dropped connection are expected
      drop(client);
      current = undefined;
      problem = `event listener disconnected: ${why}`;
      firstAttempt();
      if (closed) break;
      if (!lost) options.log(`events: ${problem}; reconnecting every ${reconnectMs} ms`);
      lost = true;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, reconnectMs).unref();
      });
      wake = undefined;
    }
  })();

  return {
    ready,
    status: () => problem ?? 'ok',
    async close() {
      closed = true;
      wake?.();
      if (current) drop(current);
    },
  };
}
