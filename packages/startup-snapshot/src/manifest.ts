import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a snapshot server declares: its name, where it lives, and the entry that is snapshotted. */
export interface SnapshotSpec {
  /** File name stem: `<outDir>/<name>.blob` and `<name>.json`. */
  name: string;
  /** Absolute path of the server's package (its package.json resolves the packages loaded at run time). */
  packageDir: string;
  /** The snapshot entry, relative to `packageDir`: imports what to pre-evaluate, then calls `startFromSnapshot`. */
  entry: string;
  /** Packages with native addons (not allowed in a snapshot): loaded from node_modules on first use. */
  native?: string[];
  /** Packages never evaluated while building (telemetry, loaded on demand): required from node_modules. */
  runtime?: string[];
  /** Defaults to `<packageDir>/.snapshot`. */
  outDir?: string;
}

/** One source file the bundle was built from, as it was then. */
export interface SnapshotInput {
  path: string;
  size: number;
  mtimeMs: number;
}

/** Written after the blob: a blob is used only while its Node and every input are unchanged. */
export interface SnapshotManifest {
  node: string;
  arch: string;
  platform: string;
  blob: string;
  builtAt: string;
  inputs: SnapshotInput[];
}

export const outDirOf = (spec: SnapshotSpec) => spec.outDir ?? join(spec.packageDir, '.snapshot');
export const blobPathOf = (spec: SnapshotSpec) => join(outDirOf(spec), `${spec.name}.blob`);
export const manifestPathOf = (spec: SnapshotSpec) => join(outDirOf(spec), `${spec.name}.json`);

export function readManifest(spec: SnapshotSpec): SnapshotManifest | undefined {
  try {
    return JSON.parse(readFileSync(manifestPathOf(spec), 'utf8')) as SnapshotManifest;
  } catch {
    return undefined;
  }
}
