// The real executable over stdio, spawned from a foreign cwd (proves the default db path resolution).
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogContract, ERA_CASES } from './testing/catalog-contract.ts';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/catalog-mcp.js', import.meta.url));

describe.each(ERA_CASES)('stdio, $label client', (era) => {
  let client: Client;
  let stderr = '';
  beforeAll(async () => {
    client = new Client({ name: 'catalog-mcp-test', version: '0.0.0' }, era.clientOptions);
    const transport = new StdioClientTransport({ command: process.execPath, args: [MAIN], cwd: tmpdir(), stderr: 'pipe' });
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await client.connect(transport);
  });
  afterAll(async () => {
    await client.close();
  });

  catalogContract(() => client, era);

  it('writes nothing but protocol to stdout (any logs go to stderr)', () => {
    // The SDK client would have failed to parse any stray stdout line; stderr stays quiet on the happy path.
    expect(stderr).toBe('');
  });
});

function runMain(args: string[], input?: string) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: tmpdir(), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  if (input !== undefined) child.stdin.end(input);
  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    exited: once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>,
  };
}

describe('the executable', () => {
  it('answers a hand-written 2025 session over stdio, skipping junk lines, and exits when stdin closes', async () => {
    const lines = [
      '{not json',
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }),
      JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
      JSON.stringify({ foo: 'not json-rpc' }),
      JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'get_albums_by_artist', arguments: { artist: 'AC/DC' } } }),
    ];
    const run = runMain([], `${lines.join('\n')}\n`);
    const [code] = await run.exited;
    expect(code).toBe(0);
    const replies = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: number; result: { structuredContent?: unknown } });
    expect(replies.map((r) => r.id)).toEqual([1, 2]);
    expect(replies[1]?.result.structuredContent).toMatchObject({ albums: [{ title: 'For Those About To Rock We Salute You' }, { title: 'Let There Be Rock' }] });
    // The invalid message is reported on stderr in one short line, not a zod dump.
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^catalog-mcp: stdio: /);
  });

  it('serves HTTP with --http --port 0 and stops cleanly on SIGTERM', async () => {
    const run = runMain(['--http', '--port', '0']);
    while (!/serving MCP on (\S+)/.test(run.stderr)) await once(run.child.stderr, 'data');
    const url = new URL(/serving MCP on (\S+)/.exec(run.stderr)?.[1] ?? '');
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.pathname).toBe('/mcp');
    const health = await fetch(new URL('/healthz', url));
    expect(await health.json()).toEqual({ status: 'ok' });
    run.child.kill('SIGTERM');
    expect(await run.exited).toEqual([0, null]);
  });

  it('exits cleanly on SIGINT in stdio mode', async () => {
    const run = runMain([]);
    // Wait until the server answers, so the signal lands on a running server.
    run.child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } })}\n`);
    while (!run.stdout.includes('"id":1')) await once(run.child.stdout, 'data');
    run.child.kill('SIGINT');
    expect(await run.exited).toEqual([0, null]);
  });

  it('explains a missing database and bad flags instead of printing a stack', async () => {
    const missing = runMain(['--db', '/nonexistent/chinook.db']);
    expect((await missing.exited)[0]).toBe(1);
    expect(missing.stderr).toMatch(/^catalog-mcp: Chinook database not found at \/nonexistent\/chinook\.db\. Run `pnpm db:setup`/);
    const bad = runMain(['--frobnicate']);
    expect((await bad.exited)[0]).toBe(2);
    expect(bad.stderr).toMatch(/^catalog-mcp: Unknown option '--frobnicate'/);
    expect(bad.stdout).toBe('');
  });
});
