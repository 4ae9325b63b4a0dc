// The kit's stateless endpoint on reused server instances: built once for requests one after another, one per
// request in flight when they overlap, and never shared between two exchanges at once.
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool } from '../tools/define-tool.ts';
import { okResult } from '../tools/tool-result.ts';
import { createMcpHttpApp } from './mcp-http-app.ts';
import { reusableServers } from './reusable-servers.ts';
import { serveHttp, type RunningHttpServer } from './serve-http.ts';

let gate: Promise<void> = Promise.resolve();
function slowServer(): McpServer {
  const server = new McpServer({ name: 'reuse-test', version: '0' }, { capabilities: { tools: {} } });
  defineTool(
    server,
    { name: 'echo', title: 'Echo', description: 'Echoes.', inputSchema: z.object({ text: z.string() }), outputSchema: z.object({ text: z.string() }), annotations: {} },
    async ({ text }) => {
      await gate;
      return okResult({ text }, text);
    },
    { log: () => {} },
  );
  return server;
}

const running: RunningHttpServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()));
});

describe('reusableServers', () => {
  it('builds one instance for sequential requests and one per overlapping request, each answer its own', async () => {
    const factory = reusableServers(slowServer);
    const server = await serveHttp(createMcpHttpApp({ endpoint: createMcpHandler(factory, { legacy: 'reject' }) }), { port: 0 });
    running.push(server);
    const client = new Client({ name: 'reuse-client', version: '0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(new StreamableHTTPClientTransport(server.url));
    for (let i = 0; i < 5; i++) expect((await client.callTool({ name: 'echo', arguments: { text: `n${i}` } })).structuredContent).toEqual({ text: `n${i}` });
    expect(factory.built()).toBe(1);

    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    const overlapping = Array.from({ length: 4 }, (_, i) => client.callTool({ name: 'echo', arguments: { text: `p${i}` } }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    open();
    expect((await Promise.all(overlapping)).map((r) => r.structuredContent)).toEqual([0, 1, 2, 3].map((i) => ({ text: `p${i}` })));
    expect(factory.built()).toBe(4);
    expect(factory.idle()).toBe(4);
    await client.close();
  });

  it('gives a 2025-era (legacy) request a fresh instance every time', () => {
    const factory = reusableServers(slowServer);
    const a = factory({ era: 'legacy' });
    const b = factory({ era: 'legacy' });
    expect(a).not.toBe(b);
    expect(factory.built()).toBe(2);
  });
});
