import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { traceStoreContract } from './trace-store-contract.ts';
import { openTraceStore } from './trace-store.ts';

traceStoreContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'algorhythm-traces-'));
  return {
    open: async (options) => openTraceStore(join(dir, 'traces.db'), options),
    drop: () => rmSync(dir, { recursive: true, force: true }),
  };
});
