// Starts the real agent host for a test file: its own temp DATA_DIR with a fresh Chinook copy, a random port,
// test secrets, no model keys (so the offline model answers). Stop kills the host's whole process group
// (it spawns the MCP servers as children).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LIMITS_OFF } from '../../agent-host/src/limits/testing/limits-off.ts';
import { hostMain, pristineChinook, repoRoot } from './paths.ts';

export interface RunningHost {
  url: string;
  adminToken: string;
  dataDir: string;
  /** Everything the host printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

const LISTENING = /Algorhythm listening on (http:\/\/\S+)/;

export async function startHost(options: { startTimeoutMs?: number; env?: Record<string, string> } = {}): Promise<RunningHost> {
  const { startTimeoutMs = 90_000 } = options;
  if (!existsSync(hostMain)) throw new Error(`The agent host is not there yet: ${hostMain}`);
  if (!existsSync(pristineChinook)) throw new Error(`Missing ${pristineChinook}: run \`pnpm db:setup\``);

  const dataDir = mkdtempSync(join(tmpdir(), 'algorhythm-web-e2e-'));
  copyFileSync(pristineChinook, join(dataDir, 'chinook.db'));
  const adminToken = `e2e-admin-${randomBytes(12).toString('hex')}`;

  // A small, explicit environment: nothing from the developer's shell (model keys, OTEL exporters) leaks in.
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? tmpdir(),
    TMPDIR: tmpdir(),
    LANG: 'C.UTF-8',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ADMIN_TOKEN: adminToken,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    ...LIMITS_OFF,
    ...options.env,
  };

  const child = spawn(process.execPath, [hostMain], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const lines: string[] = [];
  const collect = (stream: NodeJS.ReadableStream, prefix: string) => {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(prefix + line);
        if (lines.length > 400) lines.shift();
      }
    });
  };
  collect(child.stdout!, '');
  collect(child.stderr!, '[stderr] ');
  const output = () => lines.join('\n');
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const stop = async () => {
    await killGroup(child, exited);
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const url = await waitFor(
      () => {
        for (const line of lines) {
          const match = LISTENING.exec(line);
          if (match) return match[1]!.replace(/\/$/, '');
        }
        if (child.exitCode !== null) throw new Error(`The agent host exited with code ${child.exitCode}`);
        return undefined;
      },
      startTimeoutMs,
      'the "Algorhythm listening on" line',
    );
    await waitForReady(url, startTimeoutMs);
    return { url, adminToken, dataDir, output, stop };
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- agent host output ---\n${output()}`);
  }
}

/** /readyz answers 200 once the database is open and both MCP servers answer. */
async function waitForReady(url: string, timeoutMs: number): Promise<void> {
  let last = '';
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.ok) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(250);
  }
  throw new Error(`The agent host never became ready (last /readyz: ${last})`);
}

async function waitFor<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = check();
    if (value !== undefined) return value;
    await sleep(100);
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** SIGTERM to the host's process group (host + MCP children), SIGKILL if it is still there after 10 s. */
async function killGroup(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.pid === undefined) return;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // Already gone.
    }
  };
  if (child.exitCode === null && child.signalCode === null) {
    signal('SIGTERM');
    const done = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
    if (!done) signal('SIGKILL');
  }
  // Children that outlived the host (it exited first) go too.
  signal('SIGKILL');
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
