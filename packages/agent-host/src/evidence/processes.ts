import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LIMITS_OFF } from '../limits/testing/limits-off.ts';
import { waitFor } from '../testing/wait.ts';

/** The host's settings that run both MCP services as child processes (the default runs them inside the host). */
export const MCP_SERVICE_PROCESSES = { SUPPORT_MCP_MODE: 'process', CATALOG_MCP_MODE: 'stdio' } as const;

/** Live processes whose command line contains every one of `needles` (read with `ps`, no pgrep needed). */
export function processesMatching(...needles: string[]): Array<{ pid: number; args: string }> {
  const out = execFileSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\S+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && !m[2]!.startsWith('Z'))
    .map((m) => ({ pid: Number(m[1]), args: m[3]! }))
    .filter((p) => p.pid !== process.pid && needles.every((needle) => p.args.includes(needle)));
}

/** The MCP server child the host spawned on this data folder: `catalog`, or `support` for one customer. */
export function mcpChild(dataDir: string, server: 'catalog' | 'support', customerId?: number): number | undefined {
  const needles = [`${dataDir}/chinook.db`, `${server}-mcp`];
  if (customerId !== undefined) needles.push(`--customer-id ${customerId} `);
  return processesMatching(...needles)[0]?.pid;
}

export async function waitForMcpChild(dataDir: string, server: 'catalog' | 'support', customerId?: number): Promise<number> {
  return waitFor(() => mcpChild(dataDir, server, customerId));
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // Not a zombie either (a killed child its parent has not reaped yet).
    return processesMatching().some((p) => p.pid === pid);
  } catch {
    return false;
  }
}

export function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

const MAIN = resolve(fileURLToPath(import.meta.url), '../../main.ts');

export interface HostProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** The real host executable (`node packages/agent-host/src/main.ts`) on a data folder; resolves when it listens. */
export async function spawnHost(env: Record<string, string>): Promise<HostProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', HOST: '127.0.0.1', ...LIMITS_OFF, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The host's command line does not name its data folder, so a test that fails midway could not find it again:
  // whatever happens to the test, the host dies with the test process.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start:\n${output}`)), 30_000);
    child.stdout!.on('data', () => {
      const match = /Algorhythm listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`host exited (${code}) before listening:\n${output}`));
    });
  });
  return { child, pid: child.pid!, url, output: () => output, exited };
}
