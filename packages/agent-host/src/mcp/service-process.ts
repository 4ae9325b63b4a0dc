import { spawn, type ChildProcess } from 'node:child_process';
import { getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';

export interface ServiceProcess {
  /** Where the service listens, starting it first when it is not running (never started, exited, or killed). */
  url(): Promise<URL>;
  /** The service at `stale` is unreachable: start a new one unless that already happened; where it listens now. */
  restart(stale: URL): Promise<URL>;
  /** The running child's pid (tests, diagnostics). */
  pid(): number | undefined;
  close(): Promise<void>;
}

interface Running {
  child: ChildProcess;
  url: URL;
  exited: Promise<void>;
}

/**
 * One MCP service the host starts as a child and keeps running: `node …entry --http --port 0 --until-stdin-closes`,
 * started on first use, its URL read from the `listening on URL` line it logs (the OS chose the port), and started
 * again on the next use after it died. Its stdin is a pipe held by the host only, so the child also ends when the host
 * is killed (SIGKILL runs no shutdown hook). The rest of its stderr goes to ours, as a stdio child's does.
 */
export function createServiceProcess({
  label,
  nodeArgs,
  args,
  env,
  readyPattern = /listening on (http:\/\/\S+)/,
  startTimeoutMs = 30_000,
  onExit,
}: {
  label: string;
  /** `serverStart(...).nodeArgs`: snapshot or source entry. */
  nodeArgs: string[];
  args: string[];
  /** The only variables the child gets besides the safe defaults (PATH, HOME…): model keys never reach it. Read at each start. */
  env: () => Record<string, string>;
  readyPattern?: RegExp;
  startTimeoutMs?: number;
  /** The child exited (crashed, killed, or stopped by `close`). */
  onExit?: () => void;
}): ServiceProcess {
  let current: Promise<Running> | undefined;
  let listening: Running | undefined;
  let closed = false;

  const start = (): Promise<Running> => {
    if (closed) return Promise.reject(new Error(`The ${label} service is shutting down.`));
    const child = spawn(process.execPath, [...nodeArgs, ...args, '--until-stdin-closes'], {
      env: { ...getDefaultEnvironment(), ...env() },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const starting = new Promise<Running>((resolve, reject) => {
      let seen = '';
      let ready = false;
      const timer = setTimeout(() => fail(new Error(`The ${label} service did not start within ${startTimeoutMs} ms:\n${seen}`)), startTimeoutMs);
      const fail = (error: Error) => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(error);
      };
      child.stderr!.on('data', (chunk: Buffer) => {
        process.stderr.write(chunk);
        if (ready) return;
        seen += chunk.toString();
        const match = readyPattern.exec(seen);
        if (!match) return;
        ready = true;
        clearTimeout(timer);
        seen = '';
        listening = { child, url: new URL(match[1]!), exited };
        resolve(listening);
      });
      child.once('error', fail);
      void exited.then(() => {
        if (!ready) fail(new Error(`The ${label} service exited (${child.exitCode ?? child.signalCode}) before listening:\n${seen}`));
      });
    });
    // A broken pipe to a child that just died must not take the host down.
    child.stdin!.on('error', () => {});
    const attempt = starting;
    void exited.then(() => {
      if (current === attempt) current = undefined;
      onExit?.();
    });
    attempt.catch(() => {
      if (current === attempt) current = undefined;
    });
    return attempt;
  };

  const running = () => (current ??= start());

  return {
    async url() {
      return (await running()).url;
    },
    async restart(stale) {
      const now = await current?.catch(() => undefined);
      if (now && now.url.href === stale.href) {
        now.child.kill('SIGKILL');
        await now.exited;
        if (current && (await current.catch(() => undefined)) === now) current = undefined;
      }
      return (await running()).url;
    },
    pid() {
      return listening && listening.child.exitCode === null && listening.child.signalCode === null ? listening.child.pid : undefined;
    },
    async close() {
      closed = true;
      const now = await current?.catch(() => undefined);
      current = undefined;
      if (!now || now.child.exitCode !== null || now.child.signalCode !== null) return;
      now.child.kill('SIGTERM');
      const force = setTimeout(() => now.child.kill('SIGKILL'), 5_000);
      await now.exited;
      clearTimeout(force);
    },
  };
}
