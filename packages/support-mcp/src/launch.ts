import { fileURLToPath } from 'node:url';
import type { SnapshotSpec } from '@algorhythm/startup-snapshot/manifest';

/** The server's entry from source. */
export const SUPPORT_MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

/** Its startup snapshot (`pnpm build`): the same server, about half the cold start (docs/benchmarks.md). */
export const SUPPORT_SNAPSHOT: SnapshotSpec = {
  name: 'support-mcp',
  packageDir: fileURLToPath(new URL('..', import.meta.url)),
  entry: 'src/snapshot-entry.ts',
  native: ['better-sqlite3'],
  runtime: ['@algorhythm/telemetry', '@opentelemetry/api'],
};
