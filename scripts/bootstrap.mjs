#!/usr/bin/env node
// `npm start` / `npm test` (and `pnpm start` / `pnpm test`): runs a root package.json script with the toolchain
// this project needs, setting it up first when it is missing.
//
//   node scripts/bootstrap.mjs <script> [args...]
//
// 1. Node.js >= engines.node (22.18) and pnpm >= 10.26: the running Node and the first pnpm on PATH when they are
//    good enough, otherwise node@22 and pnpm@12 installed once with npm into a user cache,
//    ${ALGORHYTHM_TOOLS:-${XDG_CACHE_HOME:-~/.cache}/algorhythm-tools} (never over the system's Node).
// 2. `pnpm install` when node_modules is missing or was installed from another pnpm-lock.yaml.
// 3. `pnpm run <script> [args...]` with that Node and pnpm first on PATH; its exit code is this one's, and a
//    stop (Ctrl-C, SIGTERM, npm going away) reaches the app once (see signalToForward).
//
// Plain ESM without dependencies on purpose: it runs on whatever Node npm brought (the system's Node 20).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { constants, accessSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const NODE_PACKAGE = 'node@22';
export const PNPM_PACKAGE = 'pnpm@12';
/** The first pnpm that reads `allowBuilds` from pnpm-workspace.yaml (older ones skip the build scripts it allows). */
export const MIN_PNPM = '10.26.0';
/** Used when package.json's engines.node is not a plain `>=x.y.z`. */
export const DEFAULT_MIN_NODE = '22.18.0';
/** Written into node_modules after an install this script ran: the sha256 of the pnpm-lock.yaml it installed. */
export const INSTALL_MARKER = '.algorhythm-install';

const log = (message) => console.error(`bootstrap: ${message}`);

// ---------------------------------------------------------------------------------------------------------------
// Pure decisions (scripts/bootstrap.test.ts)

/** `v22.18.0`, `12.24.0\n`, `>=22.18` → [22, 18, 0]; null when there is no version in the text. */
export function parseVersion(text) {
  const match = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(String(text ?? ''));
  return match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : null;
}

/** True when `version` (text) is at least `min` (text); false when either is not a version. */
export function atLeast(version, min) {
  const a = parseVersion(version);
  const b = parseVersion(min);
  if (!a || !b) return false;
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
}

/** The lowest Node version package.json's engines.node allows, for the one form this project uses (`>=x.y.z`). */
export function minNodeFromEngines(range) {
  const match = /^\s*>=\s*v?(\d+(?:\.\d+){0,2})\s*$/.exec(String(range ?? ''));
  return match ? parseVersion(match[1]).join('.') : DEFAULT_MIN_NODE;
}

/** Where node@22 and pnpm@12 go when this machine has no good enough ones. */
export function toolsDir(env, home) {
  if (env.ALGORHYTHM_TOOLS) return resolve(env.ALGORHYTHM_TOOLS);
  return join(env.XDG_CACHE_HOME ? resolve(env.XDG_CACHE_HOME) : join(home, '.cache'), 'algorhythm-tools');
}

/**
 * Which Node and pnpm to use, and what to install first.
 *   node:    { version, dir } of the Node running this script
 *   pnpm:    { version, dir } of the first pnpm on PATH once node.dir is put first, or null
 *   tools:   { bin, node, pnpm } the tools directory's bin and the versions found there (null when absent)
 * Returns { install: [package@range...], prefix: [dirs first on PATH], uses: 'system' | 'node+tools' | 'tools' }.
 */
export function planTools({ minNode, minPnpm = MIN_PNPM, node, pnpm, tools }) {
  const toolsNodeOk = atLeast(tools.node, minNode);
  const toolsPnpmOk = atLeast(tools.pnpm, minPnpm);
  if (atLeast(node.version, minNode)) {
    if (pnpm && atLeast(pnpm.version, minPnpm)) return { install: [], prefix: [node.dir], uses: 'system' };
    // An unfit pnpm beside this Node would come before the tools' pnpm on PATH: use the tools for both then.
    if (!pnpm || pnpm.dir !== node.dir) {
      return { install: toolsPnpmOk ? [] : [PNPM_PACKAGE], prefix: [node.dir, tools.bin], uses: 'node+tools' };
    }
  }
  const install = [...(toolsNodeOk ? [] : [NODE_PACKAGE]), ...(toolsPnpmOk ? [] : [PNPM_PACKAGE])];
  return { install, prefix: [tools.bin], uses: 'tools' };
}

/** PATH for the child: `prefix` first, then the rest of `path` without repeats. */
export function childPath(prefix, path) {
  const seen = new Set();
  const out = [];
  for (const dir of [...prefix, ...String(path ?? '').split(delimiter)]) {
    if (!dir || seen.has(dir)) continue;
    seen.add(dir);
    out.push(dir);
  }
  return out.join(delimiter);
}

/**
 * The child's environment: PATH as given, and without what npm put there for its own script (npm_config_nodedir,
 * npm_config_prefix, npm_execpath...: npm's settings and npm's Node, wrong for pnpm's scripts and their builds).
 */
export function childEnv(env, path, nodePath) {
  const out = {};
  for (const [key, value] of Object.entries(env)) {
    if (/^npm_/i.test(key) || key === 'PATH' || key === 'Path') continue;
    out[key] = value;
  }
  out.PATH = path;
  if (env.NODE) out.NODE = nodePath;
  return out;
}

/**
 * Why `pnpm install` has to run, or null when node_modules matches pnpm-lock.yaml: pnpm's own record of what it
 * installed (node_modules/.pnpm/lock.yaml) equals the lockfile, or our marker holds the lockfile's hash.
 */
export function installReason({ nodeModules, lockfile, installedLockfile, marker }) {
  if (!nodeModules) return 'node_modules is missing';
  if (lockfile === null) return 'there is no pnpm-lock.yaml';
  if (installedLockfile !== null && installedLockfile === lockfile) return null;
  if (marker !== null && marker.trim() === sha256(lockfile)) return null;
  return 'pnpm-lock.yaml changed since the last install';
}

export function sha256(text) {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * What to send the child (pnpm, in this process group) when this process gets `signal`, or `parent-gone` (the npm
 * or pnpm that started it has exited), or null to send nothing: the app gets one stop, since it reads a second
 * signal as "force".
 *   interactive:    stdin is a terminal
 *   fromScript:     started by `npm start`, `pnpm test`... rather than by hand
 *   sinceLastStopMs: since the previous signal or parent-gone
 */
export function signalToForward(signal, { interactive, fromScript, sinceLastStopMs }) {
  // One stop, not two: npm's `sh -c` exits right after a signal to the whole group.
  if (sinceLastStopMs < 2_000) return null;
  // npm passes a signal on to its `sh -c`, which dies of it without passing it on (without a terminal, or for
  // SIGTERM), leaving this process alone: the app must not outlive the command that started it.
  if (signal === 'parent-gone') return 'SIGTERM';
  // Under npm or pnpm a signal that reaches this process was sent to its whole process group (a terminal's Ctrl-C,
  // `kill -- -pgid`, pnpm stopping its script), which holds the pnpm it started: passing it on would make two.
  if (fromScript) return null;
  // By hand, in a terminal: Ctrl-C and hang-up went to the whole foreground group too.
  if (interactive && signal !== 'SIGTERM') return null;
  // Without a terminal pnpm runs its script in a process group of its own and stops it on SIGTERM (not SIGINT).
  return 'SIGTERM';
}

// ---------------------------------------------------------------------------------------------------------------
// Effects

const read = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
};

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

const windows = process.platform === 'win32';
const exe = (name) => (windows ? [`${name}.cmd`, `${name}.exe`, name] : [name]);

function findOnPath(name, path) {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    for (const file of exe(name)) if (isExecutable(join(dir, file))) return join(dir, file);
  }
  return null;
}

/** `<bin> --version` (null when it does not run), with `path` as PATH. */
function versionOf(bin, env) {
  if (!bin) return null;
  const result = spawnSync(bin, ['--version'], {
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    timeout: 60_000,
    shell: windows,
  });
  return result.status === 0 ? (parseVersion(result.stdout)?.join('.') ?? null) : null;
}

function probe(root, env) {
  const minNode = minNodeFromEngines(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines?.node);
  const tools = toolsDir(env, homedir());
  const bin = windows ? tools : join(tools, 'bin');
  const node = { version: process.versions.node, dir: dirname(process.execPath) };
  const pathFirst = childPath([node.dir], env.PATH);
  const pnpmPath = findOnPath('pnpm', pathFirst);
  const pnpm = pnpmPath
    ? { version: versionOf(pnpmPath, childEnv(env, pathFirst, process.execPath)), dir: dirname(pnpmPath) }
    : null;
  const found = { minNode, toolsRoot: tools, node, pnpm, tools: { bin, node: null, pnpm: null } };
  if (planTools(found).uses === 'system') return found; // no need to look into the tools directory
  const toolsEnv = childEnv(env, childPath([bin], env.PATH), join(bin, 'node'));
  const toolsBin = (name) => exe(name).map((file) => join(bin, file)).find(isExecutable) ?? null;
  found.tools.node = versionOf(toolsBin('node'), toolsEnv);
  found.tools.pnpm = versionOf(toolsBin('pnpm'), toolsEnv);
  return found;
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** A directory lock (mkdir is atomic), taken over when its holder is gone. */
async function withLock(path, what, fn) {
  mkdirSync(dirname(path), { recursive: true });
  let told = false;
  for (;;) {
    try {
      mkdirSync(path);
      writeFileSync(join(path, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const pid = Number(read(join(path, 'pid')));
      let alive = false;
      try {
        if (pid > 0) {
          process.kill(pid, 0);
          alive = true;
        }
      } catch (e) {
        alive = e.code === 'EPERM';
      }
      const age = Date.now() - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0);
      if (!alive && age > 2_000) {
        rmSync(path, { recursive: true, force: true });
        continue;
      }
      if (!told) log(`waiting for another bootstrap (pid ${pid || '?'}) to finish ${what}`);
      told = true;
      await sleep(1_000);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(path, { recursive: true, force: true });
  }
}

/** Runs a command with this terminal, passing signals on (signalToForward); resolves with its exit. */
function run(command, args, options) {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { stdio: 'inherit', shell: windows, ...options });
    const interactive = process.stdin.isTTY === true;
    const fromScript = Boolean(process.env.npm_lifecycle_event);
    let lastStop = Number.NEGATIVE_INFINITY;
    const onSignal = (signal) => {
      const forward = signalToForward(signal, { interactive, fromScript, sinceLastStopMs: Date.now() - lastStop });
      lastStop = Date.now();
      if (forward) child.kill(forward);
    };
    const signals = windows ? ['SIGINT'] : ['SIGINT', 'SIGTERM', 'SIGHUP'];
    for (const signal of signals) process.on(signal, onSignal);
    const parent = process.ppid;
    const watchParent = setInterval(() => {
      if (process.ppid === parent) return;
      clearInterval(watchParent);
      onSignal('parent-gone');
    }, 500);
    const stop = () => {
      clearInterval(watchParent);
      for (const signal of signals) process.off(signal, onSignal);
    };
    child.on('error', (error) => {
      stop();
      fail(error);
    });
    child.on('exit', (code, signal) => {
      stop();
      done({ code, signal });
    });
  });
}

/** A step that did not succeed: this process ends the way it did (its exit code, or the same signal). */
class StepFailed extends Error {
  constructor(what, result) {
    super(`${what} failed (${result.signal ?? `exit ${result.code}`})`);
    this.result = result;
  }
}

/** Leaves the way the child did: its exit code, or killed by the same signal. */
function exitLike({ code, signal }) {
  if (signal) {
    process.kill(process.pid, signal);
    setTimeout(() => process.exit(1), 1_000).unref();
    return;
  }
  process.exit(code ?? 1);
}

const describeVersions = (tools, packages) =>
  packages.map((pkg) => (pkg === NODE_PACKAGE ? `Node v${tools.node}` : `pnpm ${tools.pnpm}`)).join(' and ');

async function ensureTools(root, env) {
  let found = probe(root, env);
  let plan = planTools(found);
  if (plan.install.length === 0) return { found, plan };
  await withLock(join(found.toolsRoot, '.install.lock'), `installing into ${found.toolsRoot}`, async () => {
    found = probe(root, env); // another bootstrap may have installed them meanwhile
    plan = planTools(found);
    if (plan.install.length === 0) return;
    const had = found.pnpm ? `pnpm ${found.pnpm.version ?? '(not working)'} in ${found.pnpm.dir}` : 'no pnpm';
    log(`this project needs Node.js >= ${found.minNode} and pnpm >= ${MIN_PNPM};`);
    log(`  found Node ${process.version} (${process.execPath}) and ${had}.`);
    log(`installing ${plan.install.join(' and ')} into ${found.toolsRoot} (once, with npm, for this project only;`);
    log('  the system Node is left as it is; delete that directory to undo, set ALGORHYTHM_TOOLS to choose another)');
    const npm = findOnPath('npm', env.PATH ?? '');
    if (!npm) throw new Error('npm is not on PATH: it is needed once, to install Node 22 and pnpm');
    const started = Date.now();
    const installing = plan.install;
    const args = ['install', '--global', '--prefix', found.toolsRoot, '--no-audit', '--no-fund', '--loglevel=error'];
    args.push(...installing);
    const result = await run(npm, args, { env, stdio: ['inherit', 'ignore', 'inherit'] });
    if (result.code !== 0) throw new StepFailed(`npm ${args.join(' ')}`, result);
    found = probe(root, env);
    plan = planTools(found);
    if (plan.install.length > 0) {
      throw new Error(`${plan.install.join(' and ')} still missing from ${found.tools.bin} after npm install`);
    }
    const seconds = Math.round((Date.now() - started) / 1000);
    log(`installed ${describeVersions(found.tools, installing)} in ${found.tools.bin} (${seconds} s)`);
  });
  return { found, plan };
}

async function ensureDependencies(root, pnpm, env) {
  const lockPath = join(root, 'pnpm-lock.yaml');
  const state = () => ({
    nodeModules: existsSync(join(root, 'node_modules')),
    lockfile: read(lockPath),
    installedLockfile: read(join(root, 'node_modules', '.pnpm', 'lock.yaml')),
    marker: read(join(root, 'node_modules', INSTALL_MARKER)),
  });
  if (installReason(state()) === null) return;
  const lock = join(toolsDir(env, homedir()), `.deps-${sha256(root).slice(0, 12)}.lock`);
  await withLock(lock, `installing the dependencies of ${root}`, async () => {
    const reason = installReason(state());
    if (reason === null) return;
    log(`${reason}: pnpm install`);
    // confirmModulesPurge=false: a node_modules made by another pnpm or store is recreated without a question
    // (which would fail without a terminal).
    const result = await run(pnpm, ['install', '--config.confirmModulesPurge=false'], { cwd: root, env });
    if (result.code !== 0) throw new StepFailed('pnpm install', result);
    const lockfile = read(lockPath);
    if (lockfile !== null) writeFileSync(join(root, 'node_modules', INSTALL_MARKER), `${sha256(lockfile)}\n`);
  });
}

async function main(argv) {
  const [script, ...args] = argv;
  if (!script) {
    console.error('usage: node scripts/bootstrap.mjs <package.json script> [args...]');
    process.exit(2);
  }
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const { plan } = await ensureTools(root, process.env);
  const path = childPath(plan.prefix, process.env.PATH);
  const nodePath = findOnPath('node', path) ?? process.execPath;
  const pnpm = findOnPath('pnpm', path);
  if (!pnpm) throw new Error(`pnpm is not on ${path}`);
  const env = childEnv(process.env, path, nodePath);
  await ensureDependencies(root, pnpm, env);
  exitLike(await run(pnpm, ['run', script, ...args], { cwd: root, env }));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((error) => {
    log(error instanceof Error ? error.message : String(error));
    if (error instanceof StepFailed) exitLike(error.result);
    else process.exit(1);
  });
}
