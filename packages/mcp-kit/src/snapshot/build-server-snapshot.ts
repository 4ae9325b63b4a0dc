import { buildSnapshot } from '@algorhythm/startup-snapshot/build';
import type { SnapshotSpec } from '@algorhythm/startup-snapshot/manifest';

/**
 * A server package's `pnpm build`: its startup snapshot. A failed build is reported, not fatal: the host then
 * starts the server from source.
 */
export async function buildServerSnapshot(spec: SnapshotSpec): Promise<void> {
  try {
    const manifest = await buildSnapshot(spec);
    process.stderr.write(`${spec.name}: startup snapshot for Node ${manifest.node} at ${manifest.blob}\n`);
  } catch (error) {
    process.stderr.write(`${spec.name}: no startup snapshot, the server will start from source. ${(error as Error).message}\n`);
  }
}
