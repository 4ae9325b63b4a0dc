import { serverLaunch } from '@algorhythm/mcp-kit/launch';

const launch = serverLaunch('support-mcp', new URL('..', import.meta.url));

/** The server's entry from source. */
export const SUPPORT_MAIN = launch.main;
/** Its startup snapshot (`pnpm build`). */
export const SUPPORT_SNAPSHOT = launch.snapshot;
