import { createRequire } from 'node:module';
import type { Config } from '../config.ts';
import type { ChatEvent } from '../events/chat-events.ts';
import { createHub, type Hub } from '../events/hub.ts';
import type { ApprovalRecord } from './types.ts';
import { createKeyedLock } from '../turns/keyed-lock.ts';

/** What replicas must share beyond the store: live events, and the one-turn-at-a-time lock per conversation. */
export interface Coordination {
  conversationEvents: Hub<ChatEvent>;
  approvalEvents: Hub<ApprovalRecord>;
  /** One task at a time per key, across replicas on PostgreSQL (see turns/advisory-lock.ts). */
  withLock: <T>(key: string, task: () => Promise<T>) => Promise<T>;
  /** The event channel's readiness: 'ok', or why not. */
  events(): string;
  close(): Promise<void>;
}

export interface CoordinationOptions {
  log: (line: string) => void;
  /** Test seams for the event channel's timings. */
  events?: { pollMs?: number; reconnectMs?: number; heartbeatMs?: number };
}

/**
 * In-process on SQLite (one host); through PostgreSQL when DATABASE_URL is set: events in the `event` table
 * with LISTEN/NOTIFY, the lock as an advisory lock. Call after `openHostStore`, which migrated the database
 * and registered the pg instrumentation when tracing is on (so `pg` is loaded here the same way).
 */
export async function openCoordination(config: Config, options: CoordinationOptions): Promise<Coordination> {
  if (!config.postgres) {
    return {
      conversationEvents: createHub<ChatEvent>(),
      approvalEvents: createHub<ApprovalRecord>(),
      withLock: createKeyedLock(),
      events: () => 'ok',
      close: async () => {},
    };
  }
  const pg = createRequire(import.meta.url)('pg') as typeof import('pg');
  const { openPostgresEvents } = await import('../events/postgres-events.ts');
  const { createAdvisoryLock } = await import('../turns/advisory-lock.ts');
  const { url, lockPoolMax } = config.postgres;
  const events = await openPostgresEvents({ pg, url, log: options.log, ...options.events });
  // No connect timeout: a turn waits for a lock connection as it would for the lock itself.
  const lockPool = new pg.Pool({ connectionString: url, max: lockPoolMax });
  lockPool.on('error', () => {}); // an idle connection broke: dropped; a held one reports through its lock
  return {
    conversationEvents: events.hub<ChatEvent>('conversation:'),
    approvalEvents: events.hub<ApprovalRecord>('admin:'),
    withLock: createAdvisoryLock({ pool: lockPool, log: options.log }),
    events: events.status,
    async close() {
      await events.close();
      await lockPool.end();
    },
  };
}
