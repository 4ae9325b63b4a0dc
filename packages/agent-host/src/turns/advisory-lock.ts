import type { Pool } from 'pg';
import { createKeyedLock } from './keyed-lock.ts';

const LOCK = 'SELECT pg_advisory_lock(hashtextextended($1, 0))';
const UNLOCK = 'SELECT pg_advisory_unlock(hashtextextended($1, 0))';

/**
 * One turn at a time per conversation across every replica: the task runs while this process holds a session
 * advisory lock on the key, on a connection of its own (`pool`, kept apart from the store's so a turn's own
 * queries never wait for a connection a lock holds). Waiters queue as with one host: first in this process
 * (the keyed lock, FIFO, no connection held while waiting), then in PostgreSQL's lock queue.
 *
 * If the lock's connection is lost, PostgreSQL releases the lock and another replica may start the next turn.
 * The task learns it through the `lost` signal (and its next query fails if the database itself is gone); the
 * steps it writes are conditional (claim, result, completion happen once), so at worst two turns' messages
 * interleave, never a step twice. The connection is then destroyed, not returned to the pool.
 */
export function createAdvisoryLock(options: { pool: Pool; log: (line: string) => void; namespace?: string }) {
  const local = createKeyedLock();
  const namespace = options.namespace ?? 'algorhythm.turn:';
  return function withLock<T>(key: string, task: (lost: AbortSignal) => Promise<T>): Promise<T> {
    return local(key, async () => {
      const client = await options.pool.connect();
      const lost = new AbortController();
      const onError = (error: Error) => {
        options.log(`turn lock for ${key}: connection lost (${error.message}); the lock is released`);
        lost.abort(error);
      };
      client.on('error', onError);
      let broken: Error | undefined;
      try {
        try {
          await client.query(LOCK, [namespace + key]);
        } catch (error) {
          broken = error as Error;
          throw error;
        }
        try {
          return await task(lost.signal);
        } finally {
          await client.query(UNLOCK, [namespace + key]).catch((error: Error) => (broken = error));
        }
      } finally {
        client.off('error', onError);
        client.release(broken ?? (lost.signal.aborted ? (lost.signal.reason as Error) : undefined));
      }
    });
  };
}
