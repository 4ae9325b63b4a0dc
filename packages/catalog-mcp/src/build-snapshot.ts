// `pnpm build` in this package: the startup snapshot the host starts this server from (launch.ts).
import { buildServerSnapshot } from '@algorhythm/mcp-kit/build-snapshot';
import { CATALOG_SNAPSHOT } from './launch.ts';

await buildServerSnapshot(CATALOG_SNAPSHOT);
