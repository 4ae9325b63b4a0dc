import { join, resolve } from 'node:path';

export const webDir = resolve(import.meta.dirname, '..');
export const repoRoot = resolve(webDir, '../..');
export const distDir = join(webDir, 'dist');
export const artifactsDir = join(webDir, 'artifacts');
export const pristineChinook = join(repoRoot, 'data', 'chinook.pristine.sqlite');
export const hostMain = join(repoRoot, 'packages', 'agent-host', 'src', 'main.ts');
export const chromiumPath = '/usr/bin/chromium';
