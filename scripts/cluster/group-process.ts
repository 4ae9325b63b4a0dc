import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { appendFileSync } from 'node:fs';

/**
 * A child in its own process group (so one signal stops it and whatever it started, e.g. a replica's support
 * service), its output kept (last 64 KiB) for error messages and, with `logFile`, appended there.
 */
export interface GroupProcess {
  child: ChildProcess;
  pid: number;
  output(): string;
  exited: Promise<number | null>;
  alive(): boolean;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves when the leader has exited. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL to the leader only (a crash, as the tests do it). */
  kill(): void;
}

const KEEP = 64 * 1024;

export function spawnGroup(command: string, args: string[], options: SpawnOptions & { logFile?: string } = {}): GroupProcess {
  const { logFile, ...spawnOptions } = options;
  const child = spawn(command, args, { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  let exitedCode: number | null | undefined;
  const onData = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-KEEP);
    if (logFile) appendFileSync(logFile, chunk);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => {
      exitedCode = code ?? (signal ? null : code);
      resolve(code);
    });
    child.once('error', (error) => {
      output += `\n${error.message}`;
      exitedCode = null;
      resolve(null);
    });
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // the group is gone
    }
  };
  return {
    child,
    pid: child.pid!,
    output: () => output,
    exited,
    alive: () => exitedCode === undefined,
    async stop(graceMs = 10_000) {
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      // Anything of the group still there (a child that ignored SIGTERM) goes now.
      signalGroup('SIGKILL');
    },
    kill() {
      try {
        process.kill(child.pid!, 'SIGKILL');
      } catch {}
    },
  };
}
