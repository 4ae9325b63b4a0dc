// `pnpm build` in this package: the startup snapshot the host starts this server from (launch.ts). A failed
// build is reported, not fatal: the host then starts the server from source.
import { buildSnapshot } from '@algorhythm/startup-snapshot/build';
import { CATALOG_SNAPSHOT } from './launch.ts';

try {
  const manifest = await buildSnapshot(CATALOG_SNAPSHOT);
  process.stderr.write(`catalog-mcp: startup snapshot for Node ${manifest.node} at ${manifest.blob}\n`);
} catch (error) {
  process.stderr.write(`catalog-mcp: no startup snapshot, the server will start from source. ${(error as Error).message}\n`);
}
