// Where a `node --cpu-prof` profile spent its time: self time per function and per module
// (an npm package, a workspace package, or node's internals), largest first.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Sampled time, idle excluded (GC and "(program)" kept: they are the process's cost too). */
  totalMs: number;
  topFunctions: Array<{ name: string; selfMs: number; percent: number }>;
  topModules: Array<{ name: string; selfMs: number; percent: number }>;
  /** Self time charged to the nearest frame outside node's internals and native code: who asked for the work. */
  topCallers: Array<{ name: string; selfMs: number; percent: number }>;
}

/** npm package name, workspace package, node internal, or the special V8 frames. */
export function moduleOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const npm = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (npm) return npm[1]!;
  const workspace = /\/(packages\/[^/]+|bench)\//.exec(url);
  if (workspace) return workspace[1]!;
  if (url.startsWith('node:internal/')) return `node:internal/${url.slice(14).split('/')[0]}`.replace(/\.js$/, '');
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\//, '');
}

const shortFile = (url: string) => url.replace(/^file:\/\//, '').replace(/^.*node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?/, '').replace(/^.*\/(packages\/)/, '$1');

export function summarizeCpuProfile(path: string, top = 12): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const userland = (url: string) => url !== '' && !url.startsWith('node:');
  const callerOf = (id: number): string => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      if (userland(frame.url)) return moduleOf(frame.url, frame.functionName);
    }
    return moduleOf(byId.get(id)!.callFrame.url, byId.get(id)!.callFrame.functionName);
  };
  const functions = new Map<string, number>();
  const modules = new Map<string, number>();
  const callers = new Map<string, number>();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    totalUs += us;
    const name = url ? `${functionName || '(anonymous)'} ${shortFile(url)}:${lineNumber + 1}` : functionName || '(native)';
    functions.set(name, (functions.get(name) ?? 0) + us);
    const module = moduleOf(url, functionName);
    modules.set(module, (modules.get(module) ?? 0) + us);
    const caller = callerOf(id);
    callers.set(caller, (callers.get(caller) ?? 0) + us);
  }
  const rank = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: Math.round(us / 1000), percent: Math.round((us / totalUs) * 1000) / 10 }));
  return { totalMs: Math.round(totalUs / 1000), topFunctions: rank(functions), topModules: rank(modules), topCallers: rank(callers) };
}
