import { build, type Plugin } from 'esbuild';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { blobPathOf, manifestPathOf, outDirOf, type SnapshotManifest, type SnapshotSpec } from './manifest.ts';

const RUNTIME = fileURLToPath(new URL('./runtime.ts', import.meta.url));
const escape = (id: string) => id.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * Bundles the server's snapshot entry into one CommonJS file and has this Node build a V8 startup snapshot
 * from it (`node --build-snapshot`): the MCP SDK, zod and the server's modules are then compiled and
 * evaluated once, here, instead of at every start. Writes `<name>.blob`, then `<name>.json` (the manifest
 * `snapshotState` checks).
 */
export async function buildSnapshot(spec: SnapshotSpec): Promise<SnapshotManifest> {
  const outDir = outDirOf(spec);
  mkdirSync(outDir, { recursive: true });
  const bundlePath = join(outDir, `${spec.name}.cjs`);
  const blob = blobPathOf(spec);
  const result = await build({
    entryPoints: [resolve(spec.packageDir, spec.entry)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${process.versions.node.split('.')[0]}`,
    outfile: bundlePath,
    metafile: true,
    logLevel: 'error',
    define: { __SNAPSHOT_PACKAGE_JSON__: JSON.stringify(join(spec.packageDir, 'package.json')) },
    plugins: [loadAtRunTime(spec), fileUrls()],
  });
  const tmpBlob = `${blob}.${process.pid}.tmp`;
  try {
    // The build runs the bundle's top level: each start then begins where it ended.
    await promisify(execFile)(process.execPath, ['--snapshot-blob', tmpBlob, '--build-snapshot', bundlePath], { cwd: outDir }).catch(
      (error: { stderr?: string; message: string }) => {
        // V8's own report (a heap dump on stdout) is long: its first lines and Node's warnings say what broke.
        throw new Error(`${spec.name}: building the startup snapshot failed:\n${(error.stderr || error.message).split('\n').slice(0, 12).join('\n')}`);
      },
    );
    renameSync(tmpBlob, blob);
  } finally {
    rmSync(tmpBlob, { force: true });
  }
  const inputs = Object.keys(result.metafile.inputs)
    .filter((input) => !input.includes(':'))
    .map((input) => {
      const path = resolve(input);
      const { size, mtimeMs } = statSync(path);
      return { path, size, mtimeMs };
    });
  const manifest: SnapshotManifest = {
    node: process.version,
    arch: process.arch,
    platform: process.platform,
    blob,
    builtAt: new Date().toISOString(),
    inputs,
  };
  writeFileSync(manifestPathOf(spec), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Native packages become lazy stand-ins, run-time packages plain requires from node_modules (runtime.ts). */
function loadAtRunTime(spec: SnapshotSpec): Plugin {
  const native = spec.native ?? [];
  const runtime = spec.runtime ?? [];
  const names = [...native, ...runtime];
  return {
    name: 'load-at-run-time',
    setup(b) {
      if (names.length === 0) return;
      const filter = new RegExp(`^(${names.map(escape).join('|')})(/.*)?$`);
      b.onResolve({ filter }, (args) => ({ path: args.path, namespace: native.includes(args.path) ? 'snapshot-native' : 'snapshot-runtime' }));
      b.onLoad({ filter: /.*/, namespace: 'snapshot-native' }, (args) => ({
        contents: `import { lazyNative } from ${JSON.stringify(RUNTIME)};\nexport default lazyNative(${JSON.stringify(args.path)});\n`,
        loader: 'ts',
        resolveDir: spec.packageDir,
      }));
      b.onLoad({ filter: /.*/, namespace: 'snapshot-runtime' }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(RUNTIME)}).runtimeRequire(${JSON.stringify(args.path)});\n`,
        loader: 'js',
        resolveDir: spec.packageDir,
      }));
    },
  };
}

/** `import.meta.url` is each file's own URL in a bundle too (defaults such as the database path use it). */
function fileUrls(): Plugin {
  return {
    name: 'file-urls',
    setup(b) {
      b.onLoad({ filter: /\.(ts|mts)$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes('import.meta')) return undefined;
        return { contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
      });
    },
  };
}
