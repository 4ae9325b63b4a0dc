import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { buildSnapshot } from './build.ts';
import { snapshotState } from './launch.ts';
import type { SnapshotSpec } from './manifest.ts';

/**
 * For a test file: builds the server's snapshot into a temporary directory before its tests (never touching
 * the one `pnpm build` made) and removes it after. Returns the `node` arguments that start it.
 */
export function useBuiltSnapshot(spec: SnapshotSpec): () => string[] {
  const outDir = mkdtempSync(join(tmpdir(), `${spec.name}-snapshot-`));
  let nodeArgs: string[] | undefined;
  beforeAll(async () => {
    const built = { ...spec, outDir };
    await buildSnapshot(built);
    const state = snapshotState(built);
    if (!state.fresh) throw new Error(`snapshot not fresh right after its build: ${state.why}`);
    nodeArgs = state.nodeArgs;
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));
  return () => {
    if (!nodeArgs) throw new Error('the snapshot is built in beforeAll: read its arguments inside a test or hook');
    return nodeArgs;
  };
}
