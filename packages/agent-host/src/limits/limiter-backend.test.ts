import { expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { useTestPostgres } from '../testing/postgres.ts';
import { openLimiterBackend } from './limiter-backend.ts';

const server = useTestPostgres();

it('opens on a fresh database from several replicas at once: the counters table is created once, no start fails', async () => {
  for (let round = 0; round < 8; round++) await openTogether(await (await server()).createDatabase(`limiter_race_${round}`));
});

async function openTogether(url: string): Promise<void> {
  const config = loadConfig({ DATA_DIR: '/tmp/algorhythm-limiter-race', DATABASE_URL: url, SESSION_SECRET: 'limiter-race-secret-0123456789-abcdef', ADMIN_TOKEN: 'limiter-race-admin-token' });
  const backends = await Promise.all(Array.from({ length: 8 }, () => openLimiterBackend(config, { log: () => {} })));
  try {
    expect(backends.map((b) => b.kind)).toEqual(Array(8).fill('postgres'));
    const limiter = backends[0]!.limiter({ name: 'race', points: 1, durationSeconds: 60 });
    await limiter.consume('k');
    await expect(backends[7]!.limiter({ name: 'race', points: 1, durationSeconds: 60 }).consume('k')).rejects.toMatchObject({ remainingPoints: 0 });
  } finally {
    await Promise.all(backends.map((b) => b.close()));
  }
}
