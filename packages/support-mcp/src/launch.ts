import { serverLaunch } from '@algorhythm/mcp-kit/launch';

const launch = serverLaunch('support-mcp', new URL('..', import.meta.url));

/** The server's entry from source. */
export const SUPPORT_MAIN = launch.main;
/** Its startup snapshot (`pnpm build`); `pg` loads on first use, like better-sqlite3, so a SQLite start never loads it. */
export const SUPPORT_SNAPSHOT = { ...launch.snapshot, native: [...(launch.snapshot.native ?? []), 'pg'] };
