import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { watchdogScript } from './postgres-server.ts';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

it('leaves alone a process that took the pid of a stale postmaster.pid (the server was killed, the pid reused)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'algorhythm-pg-watchdog-'));
  mkdirSync(join(dir, 'data'));
  const bystander = spawn('sleep', ['30'], { stdio: 'ignore' });
  cleanups.push(() => bystander.kill('SIGKILL'), () => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'data', 'postmaster.pid'), `${bystander.pid}\n${dir}/data\n`);
  const watchdog = spawn('sh', ['-c', watchdogScript(false), 'pg-watchdog', dir], { stdio: ['pipe', 'ignore', 'ignore'] });
  const done = new Promise((resolve) => watchdog.once('exit', resolve));
  watchdog.stdin!.end(); // as when the test process that held the pipe dies
  await done;
  expect(alive(bystander.pid!)).toBe(true);
});
