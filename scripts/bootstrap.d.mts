// Types of scripts/bootstrap.mjs (plain JavaScript so that it runs on the system's Node 20), for its tests.

export declare const NODE_PACKAGE: string;
export declare const PNPM_PACKAGE: string;
export declare const MIN_PNPM: string;
export declare const DEFAULT_MIN_NODE: string;
export declare const INSTALL_MARKER: string;

export declare function parseVersion(text: string | null | undefined): [number, number, number] | null;
export declare function atLeast(version: string | null | undefined, min: string): boolean;
export declare function minNodeFromEngines(range: string | undefined): string;
export declare function toolsDir(env: Record<string, string | undefined>, home: string): string;

export interface Tool {
  version: string | null;
  dir: string;
}
export interface Found {
  minNode: string;
  minPnpm?: string;
  node: Tool;
  pnpm: Tool | null;
  tools: { bin: string; node: string | null; pnpm: string | null };
}
export interface Plan {
  install: string[];
  prefix: string[];
  uses: 'system' | 'node+tools' | 'tools';
}
export declare function planTools(found: Found): Plan;

export declare function childPath(prefix: string[], path: string | undefined): string;
export declare function childEnv(
  env: Record<string, string | undefined>,
  path: string,
  nodePath: string,
): Record<string, string | undefined>;

export declare function installReason(state: {
  nodeModules: boolean;
  lockfile: string | null;
  installedLockfile: string | null;
  marker: string | null;
}): string | null;
export declare function sha256(text: string): string;

export type Signal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';
export declare function signalToForward(
  signal: Signal | 'parent-gone',
  state: { interactive: boolean; fromScript: boolean; sinceLastStopMs: number },
): Signal | null;
