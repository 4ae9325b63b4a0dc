// One MCP tool call's round trip, as the host makes it (its own McpConnection on the SDK client, protocol
// 2026-07-28), over stdio and over Streamable HTTP, against the same SQLite query called directly in-process
// (the floor). Tool: get_albums_by_artist { artist: 'AC/DC' } on the catalog server.
import { join } from 'node:path';
import { openCatalogDb } from '../packages/catalog-mcp/src/db/open-catalog-db.ts';
import { getAlbumsByArtistInput, queryAlbumsByArtist } from '../packages/catalog-mcp/src/tools/get-albums-by-artist.ts';
import { createMcpConnection, type McpConnection } from '../packages/agent-host/src/mcp/mcp-connection.ts';
import { httpTransport, serverStart, stdioTransport } from '../packages/agent-host/src/mcp/transports.ts';
import { benchDataDir, REPO, spawnListening } from './lib/host-process.ts';
import { round, summarize, timed, type Summary } from './lib/stats.ts';

export interface RoundTripResult {
  calls: number;
  /** Microseconds. */
  direct: Summary;
  stdio: Summary;
  http: Summary;
  stdioOverDirectP50: number;
  httpOverStdioP50: number;
}

const CALL = { id: 'bench', name: 'get_albums_by_artist', arguments: { artist: 'AC/DC' } };
const micro = (ms: number[]) => ms.map((x) => x * 1000);

async function measure(connection: McpConnection, calls: number): Promise<Summary> {
  await timed(50, 1, () => connection.callTool(CALL)); // connect + warm-up
  const outcome = await connection.callTool(CALL);
  if (outcome.type !== 'result' || outcome.result.isError) throw new Error(`unexpected answer: ${JSON.stringify(outcome)}`);
  return summarize(micro(await timed(calls, 1, () => connection.callTool(CALL))));
}

export async function benchMcpRoundTrip(options: { calls: number }): Promise<RoundTripResult> {
  const data = benchDataDir();
  const dbPath = join(data.dir, 'chinook.db');
  const db = openCatalogDb(dbPath);
  const input = getAlbumsByArtistInput.parse({ artist: 'AC/DC' });
  const direct = summarize(micro(await timed(options.calls, 1, async () => queryAlbumsByArtist(db, input))));
  db.close();

  const connection = (createTransport: Parameters<typeof createMcpConnection>[0]['createTransport']) =>
    createMcpConnection({ label: 'catalog', requestTimeoutMs: 30_000, createTransport });
  const stdioConnection = connection(() => stdioTransport(serverStart('catalog').nodeArgs, ['--db', dbPath], {}));
  const server = await spawnListening(join(REPO, 'packages/catalog-mcp/src/main.ts'), ['--http', '--port', '0', '--db', dbPath], {}, /serving MCP on (http:\/\/\S+)/);
  const httpConnection = connection(() => httpTransport(server.url));
  try {
    const stdio = await measure(stdioConnection, options.calls);
    const http = await measure(httpConnection, options.calls);
    return {
      calls: options.calls,
      direct,
      stdio,
      http,
      stdioOverDirectP50: round(stdio.p50 / direct.p50),
      httpOverStdioP50: round(http.p50 / stdio.p50),
    };
  } finally {
    await stdioConnection.close();
    await httpConnection.close();
    await server.stop();
    data.remove();
  }
}
