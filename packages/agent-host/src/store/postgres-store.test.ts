import pg from 'pg';
import { expect, it } from 'vitest';
import { useTestPostgres } from '../testing/postgres.ts';
import { readMigrations } from './postgres/migrate.ts';
import { openPostgresStore } from './postgres-store.ts';
import { storeContract } from './store-contract.ts';

const server = useTestPostgres();

storeContract('PostgreSQL', async () => {
  const postgres = await server();
  const url = await postgres.createDatabase();
  return {
    store: await openPostgresStore({ url }),
    replica: () => openPostgresStore({ url }),
    drop: () => postgres.dropDatabase(url),
  };
});

it('starts a throwaway server quickly', async () => {
  const postgres = await server();
  console.log(`test PostgreSQL started in ${postgres.startedInMs} ms (pid ${postgres.pid})`);
  expect(postgres.startedInMs).toBeLessThan(10_000);
});

it('migrates once when four replicas start together on an empty database', async () => {
  const postgres = await server();
  const url = await postgres.createDatabase();
  try {
    const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresStore({ url })));
    await Promise.all(stores.map((store) => store.ping()));
    await Promise.all(stores.map((store) => store.close()));
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const applied = await client.query<{ version: number }>('SELECT version FROM host_migrations ORDER BY version');
      expect(applied.rows.map((row) => row.version)).toEqual(readMigrations().map((m) => m.version));
      const tables = await client.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
      expect(tables.rows.map((row) => row.tablename)).toEqual(['approval', 'conversation', 'event', 'host_migrations', 'message']);
    } finally {
      await client.end();
    }
    // A restart applies nothing.
    await (await openPostgresStore({ url })).close();
  } finally {
    await postgres.dropDatabase(url);
  }
});

it('keeps the ISO strings it was given and the message text as written', async () => {
  const postgres = await server();
  const url = await postgres.createDatabase();
  const store = await openPostgresStore({ url });
  try {
    const now = '2026-03-04T05:06:07.089Z';
    expect(await store.createConversation({ id: 'c', customerId: 1, title: 't', now })).toMatchObject({ createdAt: now });
    const message = { role: 'user' as const, content: 'nul \u0000 and ünïcode' };
    await store.appendMessages('c', [{ message, agent: null }], now);
    const [stored] = await store.loadMessages('c');
    expect(stored).toEqual({ seq: 1, agent: null, message, createdAt: now });
    expect(await store.getConversation('c')).toEqual({ id: 'c', customerId: 1, title: 't', createdAt: now, updatedAt: now });
  } finally {
    await store.close();
    await postgres.dropDatabase(url);
  }
});

it('fails a migration whole, leaving nothing of it behind', async () => {
  const postgres = await server();
  const url = await postgres.createDatabase();
  try {
    const { migrate } = await import('./postgres/migrate.ts');
    const pool = new pg.Pool({ connectionString: url });
    try {
      const broken = [{ version: 1, name: '000001.sql', sql: 'CREATE TABLE half (id int); SELECT no_such_function();' }];
      await expect(migrate(pool, broken)).rejects.toThrow(/000001\.sql failed/);
      const { rows } = await pool.query(`SELECT to_regclass('half') AS half, (SELECT count(*)::int FROM host_migrations) AS applied`);
      expect(rows[0]).toEqual({ half: null, applied: 0 });
    } finally {
      await pool.end();
    }
  } finally {
    await postgres.dropDatabase(url);
  }
});
