import { spawn } from 'node:child_process';

/**
 * The last resort for the processes `pnpm cluster` starts: a detached `sh` that reads process-group ids from a
 * pipe and, when the pipe closes without a `done` line (this process was SIGKILLed or crashed), SIGKILLs every
 * group it was given. A normal stop kills the groups itself and then says `done`.
 */
export interface Reaper {
  watch(pgid: number): void;
  /** The groups are stopped: the reaper exits without killing anything. */
  release(): void;
}

const SCRIPT = 'pgids=; while read -r line; do [ "$line" = done ] && exit 0; pgids="$pgids $line"; done; for g in $pgids; do kill -KILL -- "-$g" 2>/dev/null; done';

export function startReaper(): Reaper {
  const sh = spawn('sh', ['-c', SCRIPT, 'cluster-reaper'], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  sh.unref();
  (sh.stdin as unknown as { unref(): void }).unref();
  let released = false;
  return {
    watch(pgid) {
      if (!released) sh.stdin!.write(`${pgid}\n`);
    },
    release() {
      if (released) return;
      released = true;
      sh.stdin!.end('done\n');
    },
  };
}
