import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSnapshot } from './build.ts';
import { snapshotState } from './launch.ts';
import { manifestPathOf, type SnapshotManifest, type SnapshotSpec } from './manifest.ts';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const outDir = mkdtempSync(join(tmpdir(), 'startup-snapshot-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const echo: SnapshotSpec = { name: 'echo', packageDir, entry: 'src/testing/echo-entry.ts', native: ['better-sqlite3'], outDir };

function start(nodeArgs: string[], args: string[]) {
  return JSON.parse(execFileSync(process.execPath, [...nodeArgs, ...args], { encoding: 'utf8' })) as {
    args: string[];
    evaluatedAt: number;
    startedAt: number;
    sum: number;
    url: string;
  };
}

describe('a startup snapshot', () => {
  it('starts with the module state of its build, loads native packages at run time, and passes the arguments on', async () => {
    await buildSnapshot(echo);
    const state = snapshotState(echo);
    expect(state).toEqual({ fresh: true, nodeArgs: ['--snapshot-blob', join(outDir, 'echo.blob'), '--'] });
    if (!state.fresh) return;
    const first = start(state.nodeArgs, ['--db', 'x.db']);
    const second = start(state.nodeArgs, []);
    expect(first.args).toEqual(['--db', 'x.db']);
    expect(second.args).toEqual([]);
    expect(first.sum).toBe(2);
    // Evaluated once, when built: both starts share it, and it predates them.
    expect(second.evaluatedAt).toBe(first.evaluatedAt);
    expect(first.evaluatedAt).toBeLessThan(first.startedAt);
    expect(first.url).toBe(pathToFileURL(join(packageDir, 'src/testing/echo-entry.ts')).href);
  });

  it('is stale once this Node or any input differs from its build, or its blob is gone', async () => {
    await buildSnapshot(echo);
    const path = manifestPathOf(echo);
    const built = JSON.parse(readFileSync(path, 'utf8')) as SnapshotManifest;
    const withManifest = (change: (m: SnapshotManifest) => void) => {
      const copy = structuredClone(built);
      change(copy);
      writeFileSync(path, JSON.stringify(copy));
      return snapshotState(echo);
    };
    expect(withManifest(() => {})).toMatchObject({ fresh: true });
    expect(withManifest((m) => (m.node = 'v20.0.0'))).toEqual({
      fresh: false,
      why: `built for Node v20.0.0 ${process.platform}-${process.arch}, this is ${process.version} ${process.platform}-${process.arch}`,
    });
    const entry = built.inputs.find((input) => input.path.endsWith('echo-entry.ts'))!;
    expect(withManifest((m) => (m.inputs.find((input) => input.path === entry.path)!.size += 1))).toEqual({
      fresh: false,
      why: `${entry.path} changed since the build`,
    });
    expect(withManifest((m) => (m.blob = join(outDir, 'missing.blob')))).toEqual({ fresh: false, why: `${join(outDir, 'missing.blob')} is gone` });
    rmSync(path);
    expect(snapshotState(echo)).toEqual({ fresh: false, why: 'not built (pnpm build)' });
  });

  it('refuses a native package used while building, saying so', async () => {
    const eager: SnapshotSpec = { ...echo, name: 'eager', entry: 'src/testing/eager-native-entry.ts' };
    await expect(buildSnapshot(eager)).rejects.toThrow(/eager: building the startup snapshot failed:[\s\S]*better-sqlite3 was loaded while the snapshot was built/);
    expect(snapshotState(eager)).toMatchObject({ fresh: false });
  });
});
