import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnGroup, type GroupProcess } from './group-process.ts';

const PACKAGES = resolve(fileURLToPath(import.meta.url), '../../../packages');
const BIN = {
  catalog: join(PACKAGES, 'catalog-mcp/bin/catalog-mcp.js'),
  support: join(PACKAGES, 'support-mcp/bin/support-mcp.js'),
};

export type McpServiceKind = keyof typeof BIN;

export interface McpService {
  name: string;
  kind: McpServiceKind;
  /** The MCP endpoint, e.g. http://127.0.0.1:41234/mcp */
  url: string;
  port: number;
  pid: number;
  process: GroupProcess;
}

/** What a service gets of the operator's environment: never model keys. */
export function serviceEnv(env: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (['PATH', 'HOME', 'APPROVAL_TTL_SECONDS'].includes(key) || (key.startsWith('OTEL_') && key !== 'OTEL_SERVICE_NAME')) out[key] = value;
  }
  return out;
}

/**
 * One replica of an MCP service: its real executable over HTTP (`--http --host 127.0.0.1 --port 0`) in its own
 * process group, its output in `logDir/<name>.log`. Resolves once it logged where it listens and `/healthz` is 200.
 */
export async function startMcpService({
  name,
  kind,
  args,
  env,
  logDir,
}: {
  name: string;
  kind: McpServiceKind;
  /** Besides the HTTP flags: `--db PATH` (catalog) or `--database-url URL` (support). */
  args: string[];
  env: Record<string, string>;
  logDir: string;
}): Promise<McpService> {
  const proc = spawnGroup(process.execPath, [BIN[kind], '--http', '--host', '127.0.0.1', '--port', '0', ...args], {
    env,
    logFile: join(logDir, `${name}.log`),
  });
  const deadline = Date.now() + 30_000;
  let url: string | undefined;
  for (;;) {
    if (!proc.alive()) throw new Error(`${name} exited before it was ready:\n${proc.output()}`);
    // catalog-mcp says "serving MCP on URL", support-mcp "listening on URL".
    url ??= /(?:serving MCP on|listening on) (http:\/\/\S+)/.exec(proc.output())?.[1];
    if (url && (await fetch(new URL('/healthz', url)).then((r) => r.ok, () => false))) break;
    if (Date.now() > deadline) {
      await proc.stop(0);
      throw new Error(`${name} was not ready within 30 s:\n${proc.output()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { name, kind, url, port: Number(new URL(url).port), pid: proc.pid, process: proc };
}
