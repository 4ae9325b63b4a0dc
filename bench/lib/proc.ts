import { readdirSync, readFileSync } from 'node:fs';

/** Resident and peak resident memory of a process, from /proc (Linux); bytes. */
export function memoryOf(pid: number): { rss: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  } catch {
    return { rss: 0, peak: 0 };
  }
}

/** The fields of /proc/<pid>/stat after the command name (index 11 is utime; Linux clock ticks are 10 ms). */
const statFields = (pid: number): string[] => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');

/** CPU time (user + system) a process has used so far, ms. */
export function cpuMsOf(pid: number): number {
  const fields = statFields(pid);
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Direct children of a process (the MCP servers a host spawned), from /proc/<pid>/task/<tid>/children (Linux). */
export function childrenOf(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  return tasks.flatMap((tid) => {
    try {
      return readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').map(Number).filter((n) => n > 0);
    } catch {
      return [];
    }
  });
}

/** Every live descendant of a process (children, grandchildren…). */
export function descendantsOf(pid: number): number[] {
  return childrenOf(pid).flatMap((child) => [child, ...descendantsOf(child)]);
}

/** One line about this machine for the report. */
export function machine(): { cpu: string; cores: number; memoryGiB: number; node: string; os: string } {
  const cpuinfo = (() => {
    try {
      return readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      return '';
    }
  })();
  const meminfo = (() => {
    try {
      return readFileSync('/proc/meminfo', 'utf8');
    } catch {
      return '';
    }
  })();
  const cpu = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? 'unknown';
  const cores = (cpuinfo.match(/^processor\s*:/gm) ?? []).length;
  const memoryGiB = Math.round(Number(/MemTotal:\s+(\d+)/.exec(meminfo)?.[1] ?? 0) / 1024 / 1024);
  let os: string = process.platform;
  try {
    os = /PRETTY_NAME="(.+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? os;
  } catch {
    // not Linux
  }
  return { cpu, cores, memoryGiB, node: process.version, os };
}

/** CPU time (user + system, with reaped children's) of a process and all its live descendants, ms. */
export function treeCpuMs(pid: number): number {
  let ticks = 0;
  for (const p of [pid, ...descendantsOf(pid)]) {
    try {
      const fields = statFields(p);
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {
      // exited between the listing and the read
    }
  }
  return ticks * 10;
}

/** Resident memory of a process and all its live descendants, summed; bytes. */
export function treeRss(pid: number): number {
  return [pid, ...descendantsOf(pid)].reduce((sum, p) => sum + memoryOf(p).rss, 0);
}
