// Puts a verified working copy of the Chinook database at data/chinook.db (idempotent).
// Source order: $CHINOOK_SOURCE, ../shared/chinook/Chinook_Sqlite.sqlite, then a download.
// With DATABASE_URL set, also loads Chinook from the verified pristine file into that PostgreSQL database
// (counts and checksums checked) and creates the support server's tables there (idempotent too).
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const CHINOOK_SHA256 = '7651ba378ac2fcd0dfc3c66fb101f7a7eed3ba39a612ec642b96e20702061f15';
const DOWNLOAD_URL =
  'https://github.com/lerocha/chinook-database/raw/master/ChinookDatabase/DataSources/Chinook_Sqlite.sqlite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = resolve(root, process.env.DATA_DIR ?? 'data');
const target = join(dataDir, 'chinook.db');
const pristine = join(dataDir, 'chinook.pristine.sqlite');

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function fail(message: string): never {
  console.error(`setup-db: ${message}`);
  process.exit(1);
}

async function readSource(): Promise<{ bytes: Uint8Array; from: string }> {
  const explicit = process.env.CHINOOK_SOURCE;
  if (explicit) {
    if (!existsSync(explicit)) fail(`CHINOOK_SOURCE=${explicit} does not exist`);
    return { bytes: readFileSync(explicit), from: explicit };
  }
  const shared = resolve(root, '../shared/chinook/Chinook_Sqlite.sqlite');
  if (existsSync(shared)) return { bytes: readFileSync(shared), from: shared };
  console.error(`setup-db: downloading ${DOWNLOAD_URL}`);
  const response = await fetch(DOWNLOAD_URL).catch((error: Error) => fail(`download failed: ${error.message}`));
  if (!response.ok) fail(`download failed: HTTP ${response.status}`);
  return { bytes: new Uint8Array(await response.arrayBuffer()), from: DOWNLOAD_URL };
}

async function main() {
  mkdirSync(dataDir, { recursive: true });
  if (!existsSync(pristine) || sha256(readFileSync(pristine)) !== CHINOOK_SHA256) {
    const { bytes, from } = await readSource();
    const actual = sha256(bytes);
    if (actual !== CHINOOK_SHA256) {
      fail(`${from} is not the expected Chinook_Sqlite.sqlite (sha256 ${actual}, expected ${CHINOOK_SHA256})`);
    }
    writeFileSync(`${pristine}.tmp`, bytes);
    renameSync(`${pristine}.tmp`, pristine);
  }
  // The working copy carries our own tables (refund ledger); it is made once and never overwritten.
  if (!existsSync(target)) {
    copyFileSync(pristine, `${target}.tmp`);
    renameSync(`${target}.tmp`, target);
    console.error(`setup-db: created ${target}`);
  }
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    // Loaded only then: a plain setup (postinstall, `pnpm start`) touches no PostgreSQL code.
    const { setupPostgres } = await import('../packages/support-mcp/src/db/postgres/setup-postgres.ts');
    const line = await setupPostgres({ from: pristine, databaseUrl }).catch((error: Error) => fail(error.message));
    console.error(`setup-db: ${line}`);
  }
}

await main();
