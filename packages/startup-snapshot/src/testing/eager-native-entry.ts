// Fixture snapshot that wrongly uses a native package while it is built.
import Database from 'better-sqlite3';
import { startFromSnapshot } from '../runtime.ts';

new Database(':memory:');
startFromSnapshot(async () => {});
