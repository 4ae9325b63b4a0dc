// Entry point from source (bin/catalog-mcp.js, or the host when no startup snapshot is built).
import { enableCompileCache } from 'node:module';

// Cold start is dominated by compiling zod and the SDK. Node's on-disk V8 code cache (in the OS temp dir; off with
// NODE_DISABLE_COMPILE_CACHE=1) saves ~50 ms of it, but only for modules compiled afterwards: hence everything
// else is imported dynamically. (A start from the startup snapshot skips the compiling altogether: launch.ts.)
enableCompileCache();

const { runCatalogServer } = await import('./run.ts');
await runCatalogServer(process.argv.slice(2));
