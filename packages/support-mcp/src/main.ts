// Entry point from source (bin/support-mcp.js, or the host when no startup snapshot is built).
import { runSupportServer } from './run.ts';

await runSupportServer(process.argv.slice(2));
