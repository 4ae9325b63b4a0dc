import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { useTestPostgres } from '../testing/postgres.ts';
import { createAdvisoryLock } from './advisory-lock.ts';

// Two pools are two replicas: the lock must hold across them, not only inside one process.
const server = useTestPostgres();
let pools: pg.Pool[];

beforeAll(async () => {
  const url = await (await server()).createDatabase();
  pools = [new pg.Pool({ connectionString: url, max: 4 }), new pg.Pool({ connectionString: url, max: 4 })];
  // The test server stops after this file; an idle connection it terminates must not be an uncaught error.
  for (const pool of pools) pool.on('error', () => {});
});
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.end()));
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('runs tasks of one key one at a time across replicas, every one of them, and keys apart in parallel', async () => {
  const [a, b] = pools.map((pool) => createAdvisoryLock({ pool, log: () => {} }));
  let inside = 0;
  let most = 0;
  const log: string[] = [];
  const task = (name: string) => async () => {
    inside++;
    most = Math.max(most, inside);
    log.push(`start ${name}`);
    await pause(30);
    log.push(`end ${name}`);
    inside--;
    return name;
  };
  const results = await Promise.all([1, 2, 3, 4].flatMap((i) => [a!('c1', task(`a${i}`)), b!('c1', task(`b${i}`))]));
  expect(results.sort()).toEqual(['a1', 'a2', 'a3', 'a4', 'b1', 'b2', 'b3', 'b4']);
  expect(most).toBe(1);
  for (let i = 0; i < log.length; i += 2) expect(log[i + 1]).toBe(log[i]!.replace('start', 'end'));

  // Different conversations do not wait for each other.
  const started = performance.now();
  await Promise.all([a!('k1', () => pause(200)), b!('k2', () => pause(200))]);
  expect(performance.now() - started).toBeLessThan(380);
});

it('keeps arrival order within a replica, releases on failure, and leaves no lock or connection behind', async () => {
  const [a, b] = pools.map((pool) => createAdvisoryLock({ pool, log: () => {} }));
  const order: number[] = [];
  await Promise.all([1, 2, 3].map((i) => a!('c2', async () => order.push(i))));
  expect(order).toEqual([1, 2, 3]);
  await expect(a!('c3', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  expect(await b!('c3', async () => 'free')).toBe('free');
  const held = await pools[0]!.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'`);
  expect(held.rows[0].n).toBe(0);
});

it('tells the task when its lock connection is lost, and the lock is free for another replica then', async () => {
  const [a, b] = pools.map((pool) => createAdvisoryLock({ pool, log: () => {} }));
  let signal: AbortSignal | undefined;
  let release!: () => void;
  const running = a!('c4', async (lost) => {
    signal = lost;
    const { rows } = await pools[1]!.query(`SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted`);
    await pools[1]!.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
    await new Promise<void>((resolve) => (release = resolve));
    return 'done anyway';
  });
  await expect.poll(() => signal?.aborted, { timeout: 5_000 }).toBe(true);
  expect(await b!('c4', async () => 'taken over')).toBe('taken over');
  release();
  expect(await running).toBe('done anyway');
});
