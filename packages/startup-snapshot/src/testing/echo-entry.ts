// Fixture snapshot: what a start prints shows which work happened at build time and which at run time.
import Database from 'better-sqlite3';
import { startFromSnapshot } from '../runtime.ts';

const evaluatedAt = Date.now();

startFromSnapshot(async (args) => {
  const db = new Database(':memory:');
  const { sum } = db.prepare('SELECT 1 + 1 AS sum').get() as { sum: number };
  db.close();
  process.stdout.write(JSON.stringify({ args, evaluatedAt, startedAt: Date.now(), sum, url: import.meta.url }));
});
