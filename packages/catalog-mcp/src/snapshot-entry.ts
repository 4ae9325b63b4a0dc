// The startup snapshot's entry (launch.ts builds it). What is imported here is compiled and evaluated once,
// when the snapshot is built; a start from the blob begins with it all in the heap and runs the server.
import '@modelcontextprotocol/server/stdio';
import './db/open-catalog-db.ts';
import './server.ts';
import { startFromSnapshot } from '@algorhythm/startup-snapshot/runtime';
import { runCatalogServer } from './run.ts';

startFromSnapshot(runCatalogServer);
