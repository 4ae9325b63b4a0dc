// Entry point from source (bin/support-mcp.js, or the host when no startup snapshot is built).
import { runFromSource } from '@algorhythm/mcp-kit/source-entry';

await runFromSource(async () => (await import('./run.ts')).runSupportServer);
