import type { Pool } from 'pg';
import * as sql from '../store/postgres/event-sql.ts';
import { createTopics, type Hub, type HubEvent } from './hub.ts';
import { startPgListener } from './pg-listener.ts';

export interface PostgresEventsOptions {
  /** The loaded `pg` module (after instrumentation). */
  pg: typeof import('pg');
  url: string;
  log: (line: string) => void;
  /** Backstop poll of the table, for a notification that never came (default 2 s). */
  pollMs?: number;
  reconnectMs?: number;
  heartbeatMs?: number;
  /** Events older than this are pruned (default one day), every `pruneEveryMs` (default one hour). */
  retainMs?: number;
  pruneEveryMs?: number;
}

export interface PostgresEvents {
  /** A typed view of the channel: topic `${prefix}${key}`. */
  hub<E>(prefix: string): Hub<E>;
  /** Readiness of the channel: 'ok' while the listener is connected, else why not. */
  status(): string;
  close(): Promise<void>;
}

const BATCH = 500;
const REPLAY_LIMIT = 1_000;

/**
 * Live events shared by every replica through PostgreSQL, graphile-worker style: the table is the truth and
 * NOTIFY only a doorbell. `publish` inserts a row (the trigger numbers it in commit order and notifies); each
 * replica's listener then reads every row after the last id it delivered and fans them out to its local
 * subscribers, its own events included, so every replica delivers the same events, in the same order, with the
 * same ids. A missed notification is caught by the slow poll; a reconnect reads what came meanwhile.
 */
export async function openPostgresEvents(options: PostgresEventsOptions): Promise<PostgresEvents> {
  const pool: Pool = new options.pg.Pool({ connectionString: options.url, max: 2, connectionTimeoutMillis: 5_000 });
  pool.on('error', () => {}); // an idle connection broke: the pool drops it; the listener reports the outage
  const topics = createTopics<unknown>();
  let lastSeen = Number((await pool.query<{ id: string }>(sql.LAST_EVENT_ID)).rows[0]!.id);

  let reading: Promise<void> | undefined;
  let again = false;
  let failing = false;
  const readNew = async () => {
    for (;;) {
      const { rows } = await pool.query<{ id: string; topic: string; payload: unknown }>(sql.EVENTS_AFTER, [lastSeen, BATCH]);
      for (const row of rows) {
        lastSeen = Number(row.id);
        topics.deliver(row.topic, row.payload, lastSeen);
      }
      if (rows.length < BATCH) return;
    }
  };
  /** Reads new rows; one read at a time, and one more if asked again meanwhile. */
  const pump = () => {
    if (reading) {
      again = true;
      return;
    }
    reading = (async () => {
      do {
        again = false;
        try {
          await readNew();
          failing = false;
        } catch (error) {
          if (!failing) options.log(`events: reading new events failed: ${(error as Error).message}`);
          failing = true;
          return;
        }
      } while (again);
    })().finally(() => (reading = undefined));
  };

  const listener = startPgListener({
    pg: options.pg,
    url: options.url,
    channel: sql.CHANNEL,
    onNotify: pump,
    onConnect: pump,
    log: options.log,
    ...(options.reconnectMs !== undefined ? { reconnectMs: options.reconnectMs } : {}),
    ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
  });
  await listener.ready;
  const poller = setInterval(pump, options.pollMs ?? 2_000);
  const retainSeconds = (options.retainMs ?? 86_400_000) / 1000;
  const prune = () =>
    void pool.query(sql.PRUNE_EVENTS, [retainSeconds]).catch((error: Error) => options.log(`events: pruning failed: ${error.message}`));
  const pruner = setInterval(prune, options.pruneEveryMs ?? 3_600_000);
  poller.unref();
  pruner.unref();

  // Publishes of this process are inserted one after the other, so its events keep the order it published them in.
  let publishing: Promise<void> = Promise.resolve();
  const publish = (topic: string, payload: unknown) => {
    publishing = publishing.then(
      () =>
        pool.query(sql.INSERT_EVENT, [topic, JSON.stringify(payload)]).then(
          () => {},
          (error: Error) => options.log(`events: publishing to ${topic} failed: ${error.message}`),
        ),
    );
  };

  let closing: Promise<void> | undefined;
  return {
    hub<E>(prefix: string): Hub<E> {
      return {
        subscribe: (key, listener) => topics.subscribe(prefix + key, listener as (event: unknown, id: number) => void),
        publish: (key, event) => publish(prefix + key, event),
        async since(key, afterId) {
          const { rows } = await pool.query<{ id: string; payload: E }>(sql.TOPIC_EVENTS_AFTER, [prefix + key, afterId, REPLAY_LIMIT]);
          return rows.map((row): HubEvent<E> => ({ id: Number(row.id), event: row.payload }));
        },
      };
    },
    status: listener.status,
    close() {
      closing ??= (async () => {
        clearInterval(poller);
        clearInterval(pruner);
        await publishing;
        await listener.close();
        await reading;
        await pool.end();
      })();
      return closing;
    },
  };
}
