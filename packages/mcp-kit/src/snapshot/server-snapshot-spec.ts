import { fileURLToPath } from 'node:url';
import type { SnapshotSpec } from '@algorhythm/startup-snapshot/manifest';

export interface ServerLaunch {
  /** The server's entry from source (`src/main.ts`). */
  main: string;
  /** Its startup snapshot (`pnpm build`): the same server, about half the cold start (docs/benchmarks.md). */
  snapshot: SnapshotSpec;
}

/**
 * Where a server package's two entries are, by convention: `src/main.ts` from source, `src/snapshot-entry.ts`
 * for the snapshot. better-sqlite3 is native (loaded on first use) and telemetry is loaded only when configured.
 */
export function serverLaunch(name: string, packageUrl: URL): ServerLaunch {
  return {
    main: fileURLToPath(new URL('src/main.ts', packageUrl)),
    snapshot: {
      name,
      packageDir: fileURLToPath(packageUrl),
      entry: 'src/snapshot-entry.ts',
      native: ['better-sqlite3'],
      runtime: ['@algorhythm/telemetry', '@opentelemetry/api'],
    },
  };
}
