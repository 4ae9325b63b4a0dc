// MCP server cold start to the first `tools/list` answer. The catalog package's own bench
// (packages/catalog-mcp/bench/cold-start.ts: three client variants) is run as is; both servers are then
// measured the way the host starts them (its McpConnection: SDK stdio transport, protocol 2026-07-28 pinned).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createMcpConnection } from '../packages/agent-host/src/mcp/mcp-connection.ts';
import { catalogEntry, stdioTransport, supportEntry } from '../packages/agent-host/src/mcp/transports.ts';
import { benchDataDir, REPO } from './lib/host-process.ts';
import { summarize, type Summary } from './lib/stats.ts';

export interface ColdStartResult {
  runs: number;
  /** As the host spawns them: spawn → connected → tools/list answered (ms). */
  hostCatalog: Summary;
  hostSupport: Summary;
  /** packages/catalog-mcp/bench/cold-start.ts output: p50/p95 by client variant. */
  catalogBench: Record<string, { p50: number; p95: number }>;
}

async function spawnToToolsList(entry: string, args: string[], runs: number): Promise<Summary> {
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const connection = createMcpConnection({ label: 'bench', requestTimeoutMs: 30_000, createTransport: () => stdioTransport(entry, args, {}) });
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
  try {
    const hostCatalog = await spawnToToolsList(catalogEntry(), ['--db', db], options.runs);
    const hostSupport = await spawnToToolsList(supportEntry(), ['--customer-id', '16', '--db', db], options.runs);
    const out = execFileSync(process.execPath, [join(REPO, 'packages/catalog-mcp/bench/cold-start.ts'), String(options.runs)], { encoding: 'utf8' });
    const json = JSON.parse(out.trim().split('\n').at(-1)!) as { results: Record<string, { p50: number; p95: number }> };
    const catalogBench = Object.fromEntries(Object.entries(json.results).map(([name, r]) => [name, { p50: r.p50, p95: r.p95 }]));
    return { runs: options.runs, hostCatalog, hostSupport, catalogBench };
  } finally {
    data.remove();
  }
}
