// Cold start: spawn `node src/main.ts` over stdio with the real SDK client and time spawn → first tools/list answer.
// Not a test (timings depend on the machine). Usage: node packages/catalog-mcp/bench/cold-start.ts [runs=20]
// Prints a table, then one JSON line (last line) for scripts.
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const runs = Number(process.argv[2] ?? 20);

/**
 * A subclass probes `server/discover` in place. The SDK's base StdioClientTransport instead probes on a disposable
 * sibling process and then spawns the real one, so a modern connect costs two spawns.
 */
class InPlaceStdioClientTransport extends StdioClientTransport {}

interface Variant {
  name: string;
  client: () => Client;
  transport: () => StdioClientTransport;
}

const params = { command: process.execPath, args: [MAIN], stderr: 'ignore' as const };
const variants: Variant[] = [
  {
    name: '2025-11-25 client (initialize; Claude Desktop, Inspector)',
    client: () => new Client({ name: 'bench', version: '0' }, { supportedProtocolVersions: ['2025-11-25'] }),
    transport: () => new StdioClientTransport(params),
  },
  {
    name: '2026-07-28 client, SDK stdio transport (sibling probe + session spawn)',
    client: () => new Client({ name: 'bench', version: '0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } }),
    transport: () => new StdioClientTransport(params),
  },
  {
    name: '2026-07-28 client, subclassed transport (probe in place)',
    client: () => new Client({ name: 'bench', version: '0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } }),
    transport: () => new InPlaceStdioClientTransport(params),
  },
];

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

async function once(v: Variant): Promise<number> {
  const client = v.client();
  const start = performance.now();
  await client.connect(v.transport());
  const { tools } = await client.listTools();
  const ms = performance.now() - start;
  if (tools.length !== 6) throw new Error(`expected 6 tools, got ${tools.length}`);
  await client.close();
  return ms;
}

const results: Record<string, { runs: number; p50: number; p95: number; min: number; max: number }> = {};
for (const v of variants) {
  await once(v); // warm the OS file cache; not counted
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await once(v));
  times.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  results[v.name] = {
    runs,
    p50: round(percentile(times, 50)),
    p95: round(percentile(times, 95)),
    min: round(times[0] ?? NaN),
    max: round(times.at(-1) ?? NaN),
  };
  const r = results[v.name];
  console.log(`${v.name}\n  p50 ${r?.p50} ms  p95 ${r?.p95} ms  (min ${r?.min}, max ${r?.max}, n=${runs})`);
}
console.log(JSON.stringify({ bench: 'catalog-mcp cold start: spawn to first tools/list answer (ms)', node: process.version, results }));
