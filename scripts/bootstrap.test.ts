// scripts/bootstrap.mjs: its decisions (versions, which Node and pnpm, when to install, signals), and the script
// itself against a fake pnpm in a temporary copy. No network: nothing here installs anything.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_MIN_NODE,
  INSTALL_MARKER,
  MIN_PNPM,
  NODE_PACKAGE,
  PNPM_PACKAGE,
  atLeast,
  childEnv,
  childPath,
  installReason,
  minNodeFromEngines,
  parseVersion,
  planTools,
  sha256,
  signalToForward,
  toolsDir,
} from './bootstrap.mjs';

const root = resolve(import.meta.dirname, '..');

describe('versions', () => {
  it('reads the versions node, pnpm and engines write', () => {
    expect(parseVersion('v22.18.0')).toEqual([22, 18, 0]);
    expect(parseVersion('12.24.0\n')).toEqual([12, 24, 0]);
    expect(parseVersion('>=22.18')).toEqual([22, 18, 0]);
    expect(parseVersion('')).toBeNull();
    expect(parseVersion(undefined)).toBeNull();
  });

  it('compares numerically, field by field', () => {
    expect(atLeast('22.18.0', '22.18.0')).toBe(true);
    expect(atLeast('v22.23.3', '22.18')).toBe(true);
    expect(atLeast('24.0.0', '22.18.0')).toBe(true);
    expect(atLeast('22.9.0', '22.18.0')).toBe(false);
    expect(atLeast('20.20.2', '22.18.0')).toBe(false);
    expect(atLeast('10.26.0', MIN_PNPM)).toBe(true);
    expect(atLeast('10.25.9', MIN_PNPM)).toBe(false);
    expect(atLeast(null, MIN_PNPM)).toBe(false);
  });

  it("takes the minimum Node from package.json's engines, and this repository's says 22.18", () => {
    expect(minNodeFromEngines('>=22.18')).toBe('22.18.0');
    expect(minNodeFromEngines('>= 24.1.2')).toBe('24.1.2');
    expect(minNodeFromEngines('^22 || ^24')).toBe(DEFAULT_MIN_NODE);
    expect(minNodeFromEngines(undefined)).toBe(DEFAULT_MIN_NODE);
    const engines = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.node;
    expect(minNodeFromEngines(engines)).toBe('22.18.0');
  });
});

describe('where the tools go', () => {
  it('is the user cache, XDG_CACHE_HOME when set, ALGORHYTHM_TOOLS above all', () => {
    expect(toolsDir({}, '/home/ann')).toBe('/home/ann/.cache/algorhythm-tools');
    expect(toolsDir({ XDG_CACHE_HOME: '/var/cache/ann' }, '/home/ann')).toBe('/var/cache/ann/algorhythm-tools');
    expect(toolsDir({ XDG_CACHE_HOME: '/x', ALGORHYTHM_TOOLS: '/opt/tools' }, '/home/ann')).toBe('/opt/tools');
  });
});

describe('which Node and pnpm', () => {
  const tools = (node: string | null, pnpm: string | null) => ({ bin: '/cache/bin', node, pnpm });
  const base = { minNode: '22.18.0' };
  const debian = { version: '20.20.2', dir: '/usr/bin' };

  it('a fresh Debian (Node 20, no pnpm, empty cache): installs both into the cache and puts it first', () => {
    const plan = planTools({ ...base, node: debian, pnpm: null, tools: tools(null, null) });
    expect(plan).toEqual({ install: [NODE_PACKAGE, PNPM_PACKAGE], prefix: ['/cache/bin'], uses: 'tools' });
  });

  it('the second run on that machine: installs nothing', () => {
    const plan = planTools({ ...base, node: debian, pnpm: null, tools: tools('22.23.3', '12.24.0') });
    expect(plan).toEqual({ install: [], prefix: ['/cache/bin'], uses: 'tools' });
  });

  it('a laptop with Node 22 and pnpm: uses them, installs nothing, looks at no cache', () => {
    const plan = planTools({
      ...base,
      node: { version: '22.20.0', dir: '/home/ann/.nvm/versions/node/v22.20.0/bin' },
      pnpm: { version: '12.1.0', dir: '/home/ann/.local/share/pnpm' },
      tools: tools(null, null),
    });
    expect(plan).toEqual({ install: [], prefix: ['/home/ann/.nvm/versions/node/v22.20.0/bin'], uses: 'system' });
  });

  it('Node 22 but no pnpm: only pnpm goes into the cache, after that Node on PATH', () => {
    const node = { version: '24.3.0', dir: '/usr/bin' };
    const plan = planTools({ ...base, node, pnpm: null, tools: tools(null, null) });
    expect(plan).toEqual({ install: [PNPM_PACKAGE], prefix: ['/usr/bin', '/cache/bin'], uses: 'node+tools' });
  });

  it('Node 22 and a pnpm too old for allowBuilds elsewhere on PATH: the cache pnpm comes before it', () => {
    const plan = planTools({
      ...base,
      node: { version: '22.18.0', dir: '/usr/bin' },
      pnpm: { version: '9.15.0', dir: '/usr/local/bin' },
      tools: tools(null, '12.24.0'),
    });
    expect(plan).toEqual({ install: [], prefix: ['/usr/bin', '/cache/bin'], uses: 'node+tools' });
  });

  it('an old pnpm in the same directory as Node would shadow the cache one: both come from the cache', () => {
    const plan = planTools({
      ...base,
      node: { version: '22.18.0', dir: '/usr/local/bin' },
      pnpm: { version: '8.0.0', dir: '/usr/local/bin' },
      tools: tools(null, null),
    });
    expect(plan).toEqual({ install: [NODE_PACKAGE, PNPM_PACKAGE], prefix: ['/cache/bin'], uses: 'tools' });
  });

  it('Node 22.9 (no type stripping) is not enough, nor a pnpm that does not answer --version', () => {
    const node22dot9 = { version: '22.9.0', dir: '/usr/bin' };
    expect(planTools({ ...base, node: node22dot9, pnpm: { version: '12.0.0', dir: '/x' }, tools: tools('22.23.3', null) }))
      .toEqual({ install: [PNPM_PACKAGE], prefix: ['/cache/bin'], uses: 'tools' });
    const node = { version: '22.18.0', dir: '/usr/bin' };
    expect(planTools({ ...base, node, pnpm: { version: null, dir: '/x' }, tools: tools(null, null) }).install)
      .toEqual([PNPM_PACKAGE]);
  });
});

describe('the child environment', () => {
  it('puts the chosen directories first, once each', () => {
    expect(childPath(['/cache/bin'], ['/usr/bin', '/cache/bin', '', '/bin'].join(delimiter))).toBe(
      ['/cache/bin', '/usr/bin', '/bin'].join(delimiter),
    );
    expect(childPath(['/a', '/a'], undefined)).toBe('/a');
  });

  it("drops what npm set up for itself (its nodedir, prefix, Node), keeps the rest", () => {
    const env = childEnv(
      {
        PATH: '/old',
        HOME: '/home/ann',
        npm_config_nodedir: '/usr',
        NPM_CONFIG_PREFIX: '/usr',
        npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
        NODE: '/usr/bin/node',
        PORT: '9000',
      },
      '/cache/bin:/old',
      '/cache/bin/node',
    );
    expect(env).toEqual({ PATH: '/cache/bin:/old', HOME: '/home/ann', NODE: '/cache/bin/node', PORT: '9000' });
    expect(childEnv({ PATH: '/x' }, '/y', '/y/node')).toEqual({ PATH: '/y' });
  });
});

describe('when to run pnpm install', () => {
  const lockfile = "lockfileVersion: '9.0'\n";
  it('when node_modules is missing or was installed from another lockfile', () => {
    expect(installReason({ nodeModules: false, lockfile, installedLockfile: null, marker: null })).toMatch(/missing/);
    expect(installReason({ nodeModules: true, lockfile, installedLockfile: 'old', marker: null })).toMatch(/changed/);
    const old = sha256('old');
    expect(installReason({ nodeModules: true, lockfile, installedLockfile: null, marker: old })).toMatch(/changed/);
  });
  it("not when pnpm's record or our marker says that lockfile is installed", () => {
    expect(installReason({ nodeModules: true, lockfile, installedLockfile: lockfile, marker: null })).toBeNull();
    const marker = `${sha256(lockfile)}\n`;
    expect(installReason({ nodeModules: true, lockfile, installedLockfile: 'other', marker })).toBeNull();
  });
});

describe('signals: the app gets one stop', () => {
  const first = Number.POSITIVE_INFINITY;
  const script = { fromScript: true, sinceLastStopMs: first };
  const byHand = { fromScript: false, sinceLastStopMs: first };
  it('under npm or pnpm, a signal here went to the whole process group, the inner pnpm included: not passed on', () => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      expect(signalToForward(signal, { interactive: true, ...script })).toBeNull();
      expect(signalToForward(signal, { interactive: false, ...script })).toBeNull();
    }
  });
  it('when npm goes away (its sh -c dies of the signal without passing it on), the app is stopped with SIGTERM', () => {
    expect(signalToForward('parent-gone', { interactive: false, ...script })).toBe('SIGTERM');
    expect(signalToForward('parent-gone', { interactive: true, ...script })).toBe('SIGTERM');
  });
  it('but not when the group got a signal just before (npm and its sh exit of the same signal)', () => {
    expect(signalToForward('parent-gone', { interactive: false, fromScript: true, sinceLastStopMs: 400 })).toBeNull();
    expect(signalToForward('parent-gone', { interactive: true, fromScript: true, sinceLastStopMs: 30 })).toBeNull();
  });
  it('run by hand: SIGTERM is passed on, and without a terminal SIGINT too, as SIGTERM (pnpm ignores SIGINT)', () => {
    expect(signalToForward('SIGTERM', { interactive: true, ...byHand })).toBe('SIGTERM');
    expect(signalToForward('SIGINT', { interactive: true, ...byHand })).toBeNull();
    expect(signalToForward('SIGHUP', { interactive: true, ...byHand })).toBeNull();
    expect(signalToForward('SIGINT', { interactive: false, ...byHand })).toBe('SIGTERM');
    expect(signalToForward('SIGTERM', { interactive: false, ...byHand, sinceLastStopMs: 5 })).toBeNull();
    expect(signalToForward('SIGTERM', { interactive: false, ...byHand, sinceLastStopMs: 2_500 })).toBe('SIGTERM');
  });
});

// The script end to end, with a fake pnpm that records its calls: what it runs, with which PATH, and its exit code.
describe.skipIf(process.platform === 'win32')('scripts/bootstrap.mjs with a fake pnpm', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  // This Node, alone in a directory: the one it runs from may hold a real pnpm, which would come first on PATH.
  let nodeDir = '';
  beforeAll(() => {
    nodeDir = mkdtempSync(join(tmpdir(), 'algorhythm-bootstrap-node-'));
    try {
      linkSync(process.execPath, join(nodeDir, 'node'));
    } catch {
      copyFileSync(process.execPath, join(nodeDir, 'node'));
      chmodSync(join(nodeDir, 'node'), 0o755);
    }
  });
  afterAll(() => rmSync(nodeDir, { recursive: true, force: true }));

  function project(options: { installed: boolean; pnpmVersion: string; toolsPnpm?: string }) {
    const dir = mkdtempSync(join(tmpdir(), 'algorhythm-bootstrap-'));
    dirs.push(dir);
    const repo = join(dir, 'repo');
    mkdirSync(join(repo, 'scripts'), { recursive: true });
    copyFileSync(join(root, 'scripts/bootstrap.mjs'), join(repo, 'scripts/bootstrap.mjs'));
    writeFileSync(join(repo, 'package.json'), JSON.stringify({ engines: { node: '>=22.18' } }));
    writeFileSync(join(repo, 'pnpm-lock.yaml'), "lockfileVersion: '9.0'\n");
    if (options.installed) {
      mkdirSync(join(repo, 'node_modules/.pnpm'), { recursive: true });
      writeFileSync(join(repo, 'node_modules/.pnpm/lock.yaml'), "lockfileVersion: '9.0'\n");
    }
    const fakePnpm = (bin: string, version: string) => {
      mkdirSync(bin, { recursive: true });
      // --version answers; `install` makes node_modules; `run` exits with $FAKE_EXIT. Every call is logged.
      writeFileSync(
        join(bin, 'pnpm'),
        `#!/bin/sh
[ "$1" = --version ] && { echo ${version}; exit 0; }
echo "${bin}: $* | npm_config_nodedir=\${npm_config_nodedir-unset} | PATH=$PATH" >> "${dir}/calls"
[ "$1" = install ] && mkdir -p node_modules
[ "$1" = run ] && exit \${FAKE_EXIT:-0}
exit 0
`,
      );
      chmodSync(join(bin, 'pnpm'), 0o755);
    };
    fakePnpm(join(dir, 'bin'), options.pnpmVersion);
    if (options.toolsPnpm) fakePnpm(join(dir, 'tools/bin'), options.toolsPnpm);
    return { dir, repo };
  }

  function bootstrap(dir: string, repo: string, args: string[], env: Record<string, string> = {}) {
    return spawnSync(join(nodeDir, 'node'), [join(repo, 'scripts/bootstrap.mjs'), ...args], {
      cwd: repo,
      encoding: 'utf8',
      env: {
        HOME: dir,
        PATH: [nodeDir, join(dir, 'bin'), '/usr/bin', '/bin'].join(delimiter),
        ALGORHYTHM_TOOLS: join(dir, 'tools'),
        npm_config_nodedir: '/usr',
        ...env,
      },
    });
  }
  const calls = (dir: string) =>
    existsSync(join(dir, 'calls')) ? readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n') : [];

  it('with a good Node and pnpm and node_modules up to date: only `pnpm run`, with its arguments and exit code', () => {
    const { dir, repo } = project({ installed: true, pnpmVersion: '12.24.0' });
    const result = bootstrap(dir, repo, ['app:test', 'packages/web', '--reporter=dot'], { FAKE_EXIT: '7' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(7);
    const lines = calls(dir);
    expect(lines).toHaveLength(1);
    const fake = join(dir, 'bin');
    expect(lines[0]).toContain(`${fake}: run app:test packages/web --reporter=dot | npm_config_nodedir=unset`);
    expect(lines[0]).toContain(`PATH=${nodeDir}${delimiter}${join(dir, 'bin')}${delimiter}`);
    expect(existsSync(join(dir, 'tools'))).toBe(false);
  });

  it('without node_modules: `pnpm install` first, said on screen, then a marker so that it is not repeated', () => {
    const { dir, repo } = project({ installed: false, pnpmVersion: '12.24.0' });
    const first = bootstrap(dir, repo, ['app:start']);
    expect(first.status).toBe(0);
    expect(first.stderr).toContain('bootstrap: node_modules is missing: pnpm install');
    expect(calls(dir).map((line) => line.split(' | ')[0])).toEqual([
      `${join(dir, 'bin')}: install --config.confirmModulesPurge=false`,
      `${join(dir, 'bin')}: run app:start`,
    ]);
    const marker = readFileSync(join(repo, 'node_modules', INSTALL_MARKER), 'utf8');
    expect(marker.trim()).toBe(sha256("lockfileVersion: '9.0'\n"));
    const second = bootstrap(dir, repo, ['app:start']);
    expect(second.stderr).toBe('');
    expect(calls(dir)).toHaveLength(3);
  });

  it('a pnpm too old on PATH: the one in the tools directory runs, and comes first on PATH', () => {
    const { dir, repo } = project({ installed: true, pnpmVersion: '9.15.0', toolsPnpm: '12.24.0' });
    const result = bootstrap(dir, repo, ['app:start']);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    const [line] = calls(dir);
    expect(line).toContain(`${join(dir, 'tools/bin')}: run app:start`);
    expect(line).toContain(`PATH=${[nodeDir, join(dir, 'tools/bin'), join(dir, 'bin')].join(delimiter)}`);
  });

  it('without a script name: usage, exit 2', () => {
    const { dir, repo } = project({ installed: true, pnpmVersion: '12.24.0' });
    const result = bootstrap(dir, repo, []);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/usage: node scripts\/bootstrap\.mjs <package\.json script>/);
  });
});
