import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const script = resolve(import.meta.dirname, 'setup-db.ts');
const pristine = resolve(import.meta.dirname, '../data/chinook.pristine.sqlite');
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function run(env: Record<string, string>) {
  return spawnSync(process.execPath, [script], { env: { ...process.env, ...env }, encoding: 'utf8' });
}
function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'algorhythm-setup-'));
  dirs.push(dir);
  return dir;
}

describe('setup-db', () => {
  it('refuses a file whose sha256 is not Chinook, and writes nothing', () => {
    const dir = tempDir();
    const fake = join(dir, 'fake.sqlite');
    writeFileSync(fake, 'not a database');
    const result = run({ DATA_DIR: join(dir, 'data'), CHINOOK_SOURCE: fake });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/is not the expected Chinook_Sqlite\.sqlite \(sha256 [0-9a-f]{64}, expected 7651ba37/);
    expect(existsSync(join(dir, 'data/chinook.db'))).toBe(false);
  });

  it('names a missing CHINOOK_SOURCE', () => {
    const dir = tempDir();
    const result = run({ DATA_DIR: join(dir, 'data'), CHINOOK_SOURCE: join(dir, 'nope.sqlite') });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/CHINOOK_SOURCE=.*nope\.sqlite does not exist/);
  });

  it('makes a verified working copy once and never overwrites it', () => {
    const dir = tempDir();
    const env = { DATA_DIR: join(dir, 'data'), CHINOOK_SOURCE: pristine };
    expect(run(env).status).toBe(0);
    const working = join(dir, 'data/chinook.db');
    expect(readFileSync(working).equals(readFileSync(pristine))).toBe(true);
    appendFileSync(working, Buffer.from('local changes'));
    const sizeWithChanges = readFileSync(working).length;
    execFileSync(process.execPath, [script], { env: { ...process.env, ...env } });
    expect(readFileSync(working).length).toBe(sizeWithChanges);
  });
});
