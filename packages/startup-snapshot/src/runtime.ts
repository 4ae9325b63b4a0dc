// Bundled into every snapshot. Runs in two lives: while the snapshot is built (`node --build-snapshot`),
// where only built-in modules can be required, and after each start from it.

declare const __SNAPSHOT_PACKAGE_JSON__: string;

let started = false;
let requireFromPackage: NodeJS.Require | undefined;

/**
 * Registers what a start from the snapshot runs, with the server's arguments (what follows `--`). Everything
 * the entry imported before this call was evaluated at build time and is already in the heap.
 */
export function startFromSnapshot(main: (args: string[]) => Promise<void>): void {
  const { startupSnapshot } = process.getBuiltinModule('node:v8');
  if (!startupSnapshot.isBuildingSnapshot()) throw new Error('This is a snapshot entry: build it with buildSnapshot() and start the blob.');
  startupSnapshot.setDeserializeMainFunction(() => {
    started = true;
    main(process.argv.slice(1)).catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    });
  });
}

/** A package from the server's node_modules, loaded now that the process runs (never at build time). */
export function runtimeRequire(id: string): unknown {
  if (!started) throw new Error(`${id} was loaded while the snapshot was built: import it lazily, or list it as native.`);
  requireFromPackage ??= process.getBuiltinModule('node:module').createRequire(__SNAPSHOT_PACKAGE_JSON__);
  return requireFromPackage(id);
}

/**
 * A native package's default export (better-sqlite3's `Database` class) that loads the package on first
 * use: modules that import it can then be evaluated into the snapshot, as long as nothing calls it there.
 */
export function lazyNative(id: string): unknown {
  const load = () => runtimeRequire(id) as (new (...args: unknown[]) => object) & Record<PropertyKey, unknown>;
  return new Proxy(function native() {}, {
    construct: (_target, args) => new (load())(...args),
    apply: (_target, thisArg, args) => Reflect.apply(load() as unknown as (...a: unknown[]) => unknown, thisArg, args),
    get: (_target, key) => load()[key],
  });
}
