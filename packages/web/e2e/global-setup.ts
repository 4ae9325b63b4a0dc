// Before the web tests: Chromium present (Debian package, installed when missing), the Chinook copy the host
// tests start from, and a `dist` build no older than its sources.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumPath, distDir, pristineChinook, repoRoot, webDir } from './paths.ts';

export default function setup(): void {
  ensureChromium();
  ensureChinook();
  ensureBuild();
}

function ensureChromium(): void {
  if (existsSync(chromiumPath)) return;
  console.log(`[web e2e] ${chromiumPath} is missing: installing Debian's chromium package`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const asRoot = process.getuid?.() === 0;
  const aptGet = (...args: string[]) =>
    execFileSync(asRoot ? 'apt-get' : 'sudo', asRoot ? args : ['apt-get', ...args], { stdio: 'inherit', env });
  aptGet('update');
  aptGet('install', '-y', '--no-install-recommends', 'chromium');
  if (!existsSync(chromiumPath)) throw new Error(`chromium was installed but ${chromiumPath} is still missing`);
}

function ensureChinook(): void {
  if (existsSync(pristineChinook)) return;
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'setup-db.ts')], { cwd: repoRoot, stdio: 'inherit' });
}

/** Rebuilds when any page source is newer than the last build (the root `pnpm test` builds first anyway). */
function ensureBuild(): void {
  const built = join(distDir, 'index.html');
  const builtAt = existsSync(built) && existsSync(join(distDir, 'admin.html')) ? statSync(built).mtimeMs : 0;
  const sources = [join(webDir, 'client'), join(webDir, 'src'), join(webDir, 'index.html'), join(webDir, 'admin.html'), join(webDir, 'traces.html'), join(webDir, 'overview.html'), join(webDir, 'vite.config.ts')];
  if (builtAt > 0 && newest(sources) <= builtAt) return;
  console.log('[web e2e] building packages/web');
  execFileSync(process.execPath, [join(webDir, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: webDir,
    stdio: 'inherit',
  });
}

function newest(paths: string[]): number {
  let max = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    if (stat.isDirectory()) max = Math.max(max, newest(readdirSync(path).map((name) => join(path, name))));
    else max = Math.max(max, stat.mtimeMs);
  }
  return max;
}
