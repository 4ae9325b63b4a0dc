import type { Pool, PoolClient } from 'pg';
import type { Retention } from '../prune-traces.ts';

/** Held for one batch's transaction: while one replica prunes, the others' passes find it taken and skip. */
const LOCK_NAME = 'algorhythm.agent-host.trace-retention';

/**
 * Bytes the live rows hold (the `bytes` each trace's spans added). Not `pg_total_relation_size`: a
 * PostgreSQL table's files keep their size after a DELETE (vacuum makes the space reusable, not smaller),
 * so the file size would stay over the limit and the size rule would delete every trace.
 */
const USED_BYTES = 'SELECT COALESCE(sum(bytes), 0)::bigint AS bytes FROM trace';

/**
 * One batch of whole traces, oldest first, starting before `$1` (nanoseconds): their spans and their rows in
 * one statement. Traces a writer holds right now are skipped (SKIP LOCKED) and go in a later batch.
 */
const DELETE_OLDEST = `WITH doomed AS (
    SELECT trace_id FROM trace WHERE start_ns < $1 ORDER BY start_ns LIMIT $2 FOR UPDATE SKIP LOCKED
  ), spans AS (
    DELETE FROM span WHERE trace_id IN (SELECT trace_id FROM doomed)
  )
  DELETE FROM trace WHERE trace_id IN (SELECT trace_id FROM doomed) RETURNING trace_id`;

const NO_CUTOFF = '9223372036854775807';

export async function usedBytes(db: Pool | PoolClient): Promise<number> {
  const { rows } = await db.query<{ bytes: bigint }>(USED_BYTES);
  return Number(rows[0]!.bytes);
}

/**
 * The PostgreSQL `pruneBatch` (../prune-traces.ts): traces older than the age limit, or else the oldest while
 * the store is over its size limit. Returns how many traces went; 0 also when another replica is pruning.
 */
export async function pruneBatch(pool: Pool, retention: Retention, options: { now: number; batch?: number }): Promise<number> {
  const batch = options.batch ?? 200;
  const cutoffNs = BigInt(Math.max(0, Math.floor(options.now - retention.maxAgeMs))) * 1_000_000n;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows: lock } = await client.query<{ held: boolean }>('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS held', [LOCK_NAME]);
    let deleted = 0;
    if (lock[0]!.held) {
      deleted = (await client.query(DELETE_OLDEST, [cutoffNs.toString(), batch])).rowCount ?? 0;
      if (deleted === 0 && (await usedBytes(client)) > retention.maxBytes) {
        // Smaller steps here: the limit is approached from just above, and each step re-measures.
        deleted = (await client.query(DELETE_OLDEST, [NO_CUTOFF, Math.ceil(batch / 4)])).rowCount ?? 0;
      }
    }
    await client.query('COMMIT');
    return deleted;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
