import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LIMITS_OFF } from '../../packages/agent-host/src/limits/testing/limits-off.ts';

export const REPO = resolve(fileURLToPath(import.meta.url), '../../..');
export const PRISTINE = join(REPO, 'data/chinook.pristine.sqlite');
export const SESSION_SECRET = 'bench-session-secret-0123456789-abcdefgh';
export const ADMIN_TOKEN = 'bench-admin-token-0123456789';
/** Benchmarks send hundreds of turns a minute from one address: the abuse limits are off in every bench host. */
export { LIMITS_OFF };

/** A temp data folder with a fresh Chinook working copy (benchmarks never touch data/chinook.db). */
export function benchDataDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'algorhythm-bench-'));
  copyFileSync(PRISTINE, join(dir, 'chinook.db'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface SpawnedProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

/** Spawns a Node entry and resolves with the URL it prints (`pattern` captures it). */
export async function spawnListening(entry: string, args: string[], env: Record<string, string>, pattern: RegExp): Promise<SpawnedProcess> {
  const child = spawn(process.execPath, [entry, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => reject(new Error(`${entry} exited before listening:\n${output}`)));
  });
  return {
    child,
    pid: child.pid!,
    url,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(force);
    },
  };
}

export function spawnBenchHost(dataDir: string, env: Record<string, string> = {}): Promise<SpawnedProcess> {
  return spawnListening(
    join(REPO, 'bench/host-entry.ts'),
    [],
    { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, SESSION_SECRET, ADMIN_TOKEN, ...LIMITS_OFF, ...env },
    /bench host listening on (http:\/\/\S+)/,
  );
}

/** Signs a customer in through `POST /api/login`, as the page does, and returns the session cookie to send. */
export async function sessionCookie(url: string, customerId: number): Promise<string> {
  const response = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ customerId }),
  });
  if (!response.ok) throw new Error(`sign-in of customer ${customerId} answered ${response.status}: ${await response.text()}`);
  return (response.headers.getSetCookie()[0] ?? '').split(';')[0]!;
}

/** One chat turn through the JSON API; resolves with the reply or throws on a non-200. */
export async function chatTurn(url: string, cookie: string, message: string, conversationId?: string): Promise<{ conversationId: string; reply: string }> {
  const response = await fetch(`${url}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', cookie },
    body: JSON.stringify({ message, ...(conversationId ? { conversationId } : {}) }),
  });
  const body = (await response.json()) as { conversationId: string; reply: string; error?: string };
  if (response.status !== 200) throw new Error(`chat answered ${response.status}: ${body.error ?? ''}`);
  return body;
}
