import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { oneLine } from './stderr-logger.ts';

const FAKE = fileURLToPath(new URL('../testing/fake-server-process.ts', import.meta.url));
const run = (mode: string) => spawnSync(process.execPath, [FAKE, mode], { encoding: 'utf8', timeout: 20_000 });

describe('runServerProcess', () => {
  it.each([
    ['bad-flag', 2, "fake-mcp: Unknown option '--bad'"],
    ['no-db', 1, 'fake-mcp: database /nowhere.db does not exist'],
    ['no-port', 1, 'fake-mcp: listen EADDRINUSE: address already in use 127.0.0.1:3001'],
  ])('a start that fails (%s) exits %i with one line on stderr, no stack', (mode, status, line) => {
    const result = run(mode);
    expect(result.status).toBe(status);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`${line}\n`);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('on %s stops the transport, closes the db and exits 0', async (signal) => {
    const child = spawn(process.execPath, [FAKE], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    while (!stderr.includes('serving')) await once(child.stderr, 'data');
    child.kill(signal);
    expect(await once(child, 'exit')).toEqual([0, null]);
    expect(stderr).toBe(`fake-mcp: serving\nfake-mcp: ${signal}, shutting down\nfake-mcp: transport stopped\ndb closed\n`);
  });
});

describe('oneLine', () => {
  it('folds white space and cuts past the limit', () => {
    expect(oneLine('a\n  b\tc')).toBe('a b c');
    expect(oneLine('x'.repeat(400))).toBe(`${'x'.repeat(297)}...`);
    expect(oneLine('x'.repeat(300))).toHaveLength(300);
  });
});
