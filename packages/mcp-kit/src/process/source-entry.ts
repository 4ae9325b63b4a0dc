import { enableCompileCache } from 'node:module';

/**
 * A server's entry from source. Cold start is dominated by compiling zod and the SDK; Node's on-disk V8 code
 * cache (in the OS temp dir; off with NODE_DISABLE_COMPILE_CACHE=1) saves ~50 ms of it, but only for modules
 * compiled afterwards: hence `load` imports the server only once it is on. (A start from the startup snapshot
 * skips the compiling altogether.)
 */
export async function runFromSource(load: () => Promise<(args: string[]) => Promise<void>>): Promise<void> {
  enableCompileCache();
  const run = await load();
  await run(process.argv.slice(2));
}
