import type pg from 'pg';

/** A pool or a client inside a transaction: the SQL operations (`sql/*.ts`) run on either. */
export type Queryable = Pick<pg.ClientBase, 'query'>;

/**
 * Runs `work` on one client between BEGIN and COMMIT; any throw rolls back. A client whose ROLLBACK failed is
 * dropped rather than returned to the pool in an unknown state.
 */
export async function withTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
  { begin = 'BEGIN' }: { begin?: string } = {},
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback));
    throw error;
  } finally {
    client.release(broken);
  }
}

/** PostgreSQL's unique_violation: another transaction committed the same row first. */
export const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === '23505';
