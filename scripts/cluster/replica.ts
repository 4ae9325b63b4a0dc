import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnGroup, type GroupProcess } from './group-process.ts';

const MAIN = resolve(fileURLToPath(import.meta.url), '../../../packages/agent-host/src/main.ts');

export interface Replica {
  name: string;
  url: string;
  port: number;
  pid: number;
  process: GroupProcess;
}

/**
 * One host replica: the real executable (`node packages/agent-host/src/main.ts`) on a port the OS picks, in its
 * own process group (with the support service it starts). Resolves once it listens and `/readyz` is 200.
 */
export async function startReplica({
  name,
  env,
  logDir,
  entry = MAIN,
}: {
  name: string;
  env: Record<string, string>;
  logDir: string;
  /** Another entry on the same composition root (the benchmark's `bench/host-entry.ts`, with its simulated model). */
  entry?: string;
}): Promise<Replica> {
  const proc = spawnGroup(process.execPath, [entry], {
    env: { ...env, PORT: '0', HOST: '127.0.0.1' },
    logFile: join(logDir, `${name}.log`),
  });
  const deadline = Date.now() + 30_000;
  let url: string | undefined;
  for (;;) {
    if (!proc.alive()) throw new Error(`${name} exited before it was ready:\n${proc.output()}`);
    url ??= /(?:Algorhythm|bench host) listening on (http:\/\/\S+)/.exec(proc.output())?.[1];
    if (url && (await fetch(`${url}/readyz`).then((r) => r.ok, () => false))) break;
    if (Date.now() > deadline) {
      await proc.stop(0);
      throw new Error(`${name} was not ready within 30 s:\n${proc.output()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { name, url, port: Number(new URL(url).port), pid: proc.pid, process: proc };
}
