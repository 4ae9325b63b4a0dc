import { existsSync, statSync } from 'node:fs';
import { readManifest, type SnapshotManifest, type SnapshotSpec } from './manifest.ts';

export type SnapshotState = { fresh: true; nodeArgs: string[] } | { fresh: false; why: string };

/**
 * Whether the server can start from its snapshot on this Node: the blob was built by this Node version
 * and nothing it was built from has changed since. Costs one stat per input (a few milliseconds).
 */
export function snapshotState(spec: SnapshotSpec): SnapshotState {
  const manifest = readManifest(spec);
  if (!manifest) return { fresh: false, why: 'not built (pnpm build)' };
  const stale = staleness(manifest);
  if (stale) return { fresh: false, why: stale };
  // `--` ends Node's own options: what follows are the server's arguments (process.argv.slice(1)).
  return { fresh: true, nodeArgs: ['--snapshot-blob', manifest.blob, '--'] };
}

function staleness(manifest: SnapshotManifest): string | undefined {
  if (manifest.node !== process.version || manifest.arch !== process.arch || manifest.platform !== process.platform) {
    return `built for Node ${manifest.node} ${manifest.platform}-${manifest.arch}, this is ${process.version} ${process.platform}-${process.arch}`;
  }
  if (!existsSync(manifest.blob)) return `${manifest.blob} is gone`;
  for (const input of manifest.inputs) {
    const stat = statSync(input.path, { throwIfNoEntry: false });
    if (!stat) return `${input.path} is gone`;
    if (stat.size !== input.size || stat.mtimeMs !== input.mtimeMs) return `${input.path} changed since the build`;
  }
  return undefined;
}
