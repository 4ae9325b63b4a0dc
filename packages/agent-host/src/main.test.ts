import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { ADMIN_TOKEN, makeDataDir } from './testing/host-harness.ts';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // A death by signal reads as the signal's name, so a failure says which one.
  const exited = new Promise<number | string | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  const listening = new Promise<string>((resolve, reject) => {
    const poll = setInterval(() => {
      const match = /Algorhythm listening on (\S+)/.exec(output);
      // The admin token line is the last of the start-up banner: wait for all of it, not just the first chunk.
      if (match && /admin token[^\n]*\n/.test(output)) {
        clearInterval(poll);
        resolve(match[1]!);
      }
    }, 20);
    void exited.then(() => {
      clearInterval(poll);
      reject(new Error(`exited early: ${output}`));
    });
  });
  listening.catch(() => {});
  cleanup = () => child.kill('SIGKILL');
  return { child, exited, listening, output: () => output };
}

it('starts on its defaults, generates and prints the admin token once, and stops cleanly on SIGTERM', async () => {
  const data = makeDataDir();
  const host = start({ PORT: '0', DATA_DIR: data.dir });
  const url = await host.listening;
  expect(host.output()).toMatch(/supervisor: offline demo model/);
  const token = /admin token \(generated, shown once.*\): (\S+)/.exec(host.output())?.[1];
  expect(token).toBeTruthy();

  const stream = await fetch(`${url}/api/admin/approvals/events`, { headers: { authorization: `Bearer ${token}` } });
  expect(stream.status).toBe(200);
  const reading = stream.text();
  host.child.kill('SIGTERM');
  expect(await host.exited).toBe(0);
  await reading;
  expect(host.output()).toMatch(/SIGTERM, shutting down/);

  const again = start({ PORT: '0', DATA_DIR: data.dir });
  await again.listening;
  expect(again.output()).not.toContain(token!);
  expect(again.output()).toMatch(/admin token: ADMIN_TOKEN or .*host-secrets\.json/);
  again.child.kill('SIGTERM');
  expect(await again.exited).toBe(0);
  data.remove();
});

it('refuses to start with one clear line when a chosen model has no key', async () => {
  const data = makeDataDir();
  const host = start({ PORT: '0', DATA_DIR: data.dir, SUPERVISOR_MODEL: 'claude-3-5-haiku-20241022', ADMIN_TOKEN });
  expect(await host.exited).toBe(1);
  const lines = host.output().trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/SUPERVISOR_MODEL=claude-3-5-haiku-20241022 needs ANTHROPIC_API_KEY/);
  data.remove();
});
