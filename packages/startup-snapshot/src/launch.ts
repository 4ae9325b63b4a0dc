import { statSync } from 'node:fs';
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
  for (const input of [{ path: manifest.blob, size: -1, mtimeMs: -1 }, ...manifest.inputs]) {
    let stat;
    try {
      stat = statSync(input.path);
    } catch {
      return `${input.path} is gone`;
    }
    if (input.size >= 0 && (stat.size !== input.size || stat.mtimeMs !== input.mtimeMs)) return `${input.path} changed since the build`;
  }
  return undefined;
}
