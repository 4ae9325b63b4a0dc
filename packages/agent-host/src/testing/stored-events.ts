import pg from 'pg';

/** What the PostgreSQL `event` table holds for one conversation, shaped as the SSE stream sends it. */
export async function storedConversationEvents(databaseUrl: string, conversationId: string) {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ id: string; payload: { type: string } & Record<string, unknown> }>(
      'SELECT id, payload FROM event WHERE topic = $1 ORDER BY id',
      [`conversation:${conversationId}`],
    );
    return rows.map(({ id, payload: { type, ...data } }) => ({ id: Number(id), event: type, data }));
  } finally {
    await db.end();
  }
}

/**
 * Samples `SELECT count(*) FROM pg_stat_activity` (every backend, this probe's own included) on one connection,
 * keeping the peak, for the cluster benchmark.
 */
export async function samplePostgresConnections(databaseUrl: string, everyMs = 100) {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const count = async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity')).rows[0]!.n);
  const idle = await count();
  let peak = idle;
  let running = true;
  const loop = (async () => {
    while (running) {
      peak = Math.max(peak, await count().catch(() => 0));
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    idle,
    async stop() {
      running = false;
      await loop;
      const last = await count();
      await db.end();
      return { idle, peak: Math.max(peak, last), last };
    },
  };
}
