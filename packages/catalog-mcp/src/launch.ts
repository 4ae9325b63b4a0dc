import { serverLaunch } from '@algorhythm/mcp-kit/launch';

const launch = serverLaunch('catalog-mcp', new URL('..', import.meta.url));

/** The server's entry from source. */
export const CATALOG_MAIN = launch.main;
/** Its startup snapshot (`pnpm build`). */
export const CATALOG_SNAPSHOT = launch.snapshot;
