// The startup snapshot's entry (launch.ts builds it). run.ts and what it imports (the MCP SDK, zod, the tools)
// is compiled and evaluated once, when the snapshot is built; a start from the blob runs it.
import { startFromSnapshot } from '@algorhythm/startup-snapshot/runtime';
import { runSupportServer } from './run.ts';

startFromSnapshot(runSupportServer);
