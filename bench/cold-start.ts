// MCP server cold start to the first `tools/list` answer. The catalog package's own bench
// (packages/catalog-mcp/bench/cold-start.ts: three client variants, from source) is run as is; both servers
// are then measured the way the host starts them (its McpConnection: SDK stdio transport, protocol 2026-07-28
// pinned), from their startup snapshots (`pnpm build`) and from source.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createMcpConnection } from '../packages/agent-host/src/mcp/mcp-connection.ts';
import { catalogEntry, serverStart, stdioTransport, supportEntry } from '../packages/agent-host/src/mcp/transports.ts';
import { benchDataDir, REPO } from './lib/host-process.ts';
import { summarize, type Summary } from './lib/stats.ts';

type Server = 'catalog' | 'support';
type From = 'snapshot' | 'source';

export interface ColdStartResult {
  runs: number;
  /** As the host spawns them: spawn → connected → tools/list answered (ms). Snapshot rows are absent when not built. */
  host: Partial<Record<`${Server}-${From}`, Summary>>;
  /** packages/catalog-mcp/bench/cold-start.ts output: p50/p95 by client variant. */
  catalogBench: Record<string, { p50: number; p95: number }>;
}

async function spawnToToolsList(nodeArgs: string[], args: string[], runs: number): Promise<Summary> {
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const connection = createMcpConnection({ label: 'bench', requestTimeoutMs: 30_000, createTransport: () => stdioTransport(nodeArgs, args, {}) });
    const start = performance.now();
    await connection.listTools();
    if (i > 0) times.push(performance.now() - start); // the first run warms the OS file cache
    await connection.close();
  }
  return summarize(times);
}

export async function benchColdStart(options: { runs: number }): Promise<ColdStartResult> {
  const data = benchDataDir();
  const db = join(data.dir, 'chinook.db');
  const args: Record<Server, string[]> = { catalog: ['--db', db], support: ['--customer-id', '16', '--db', db] };
  const source: Record<Server, string> = { catalog: catalogEntry(), support: supportEntry() };
  try {
    const host: ColdStartResult['host'] = {};
    for (const server of ['catalog', 'support'] as const) {
      const start = serverStart(server);
      if (start.from === 'snapshot') host[`${server}-snapshot`] = await spawnToToolsList(start.nodeArgs, args[server], options.runs);
      host[`${server}-source`] = await spawnToToolsList([source[server]], args[server], options.runs);
    }
    const out = execFileSync(process.execPath, [join(REPO, 'packages/catalog-mcp/bench/cold-start.ts'), String(options.runs)], { encoding: 'utf8' });
    const json = JSON.parse(out.trim().split('\n').at(-1)!) as { results: Record<string, { p50: number; p95: number }> };
    const catalogBench = Object.fromEntries(Object.entries(json.results).map(([name, r]) => [name, { p50: r.p50, p95: r.p95 }]));
    return { runs: options.runs, host, catalogBench };
  } finally {
    data.remove();
  }
}
