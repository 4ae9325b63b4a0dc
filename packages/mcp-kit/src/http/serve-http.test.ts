// The app on a real socket through @hono/node-server: what only a socket can show.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { McpServer } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { rawPost } from '../testing/raw-post.ts';
import { defineTool } from '../tools/define-tool.ts';
import { okResult } from '../tools/tool-result.ts';
import { createMcpHttpApp, type McpEndpoint } from './mcp-http-app.ts';
import { serveHttp, type RunningHttpServer } from './serve-http.ts';
import { statelessEndpoint } from './stateless-endpoint.ts';

function pingServer(): McpServer {
  const server = new McpServer({ name: 'kit-http-test', version: '0' }, { capabilities: { tools: {} } });
  const empty = z.object({});
  defineTool(
    server,
    { name: 'ping', title: 'Ping', description: 'Answers pong.', inputSchema: empty, outputSchema: z.object({ pong: z.boolean() }), annotations: {} },
    () => okResult({ pong: true }, 'pong'),
    { log: () => {} },
  );
  return server;
}

const running: RunningHttpServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()));
});
async function serve(endpoint: McpEndpoint = statelessEndpoint(pingServer)): Promise<RunningHttpServer> {
  const server = await serveHttp(createMcpHttpApp({ endpoint }), { port: 0 });
  running.push(server);
  return server;
}

const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } };

describe('serveHttp', () => {
  it('binds 127.0.0.1 by default and serves MCP on /mcp to both protocol eras', async () => {
    const server = await serve();
    expect(server.url.href).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    for (const options of [{ versionNegotiation: { mode: { pin: '2026-07-28' as const } } }, { supportedProtocolVersions: ['2025-11-25'] }]) {
      const client = new Client({ name: 'kit-http-client', version: '0' }, options);
      await client.connect(new StreamableHTTPClientTransport(server.url));
      expect((await client.callTool({ name: 'ping', arguments: {} })).structuredContent).toEqual({ pong: true });
      await client.close();
    }
  });

  it('checks the Host header the client really sent', async () => {
    const server = await serve();
    expect((await rawPost(server.url, initialize, { host: `evil.example:${server.url.port}` })).status).toBe(403);
    expect((await rawPost(server.url, initialize, { host: `localhost:${server.url.port}` })).status).toBe(200);
  });

  it('answers an oversized body with a readable 413, and the kept-alive connection goes on serving', async () => {
    const server = await serve();
    const huge = await rawPost(server.url, { ...initialize, params: { ...initialize.params, padding: 'p'.repeat(300 * 1024) } });
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.body)).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32000, message: 'Payload Too Large: Request body must not exceed 262144 bytes' } });
    // fetch() reuses its connection: a refused body left half-read would drop it under one of the next requests.
    const post = (body: string) =>
      fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body });
    for (let round = 0; round < 30; round++) {
      const refused = await post(JSON.stringify({ junk: 'x'.repeat(300_000) }));
      expect(refused.status).toBe(413);
      await refused.body?.cancel();
      expect((await fetch(server.url)).status).toBe(405);
      const ok = await post(JSON.stringify(initialize));
      expect(ok.status).toBe(200);
      await ok.body?.cancel();
    }
  });

  it('streams a body as it is written (SSE), and close() ends connections still open', async () => {
    let push: ((text: string) => void) | undefined;
    const server = await serve({
      fetch: async () =>
        new Response(new ReadableStream<Uint8Array>({ start: (controller) => void (push = (text) => controller.enqueue(new TextEncoder().encode(text))) }), {
          headers: { 'content-type': 'text/event-stream' },
        }),
      close: async () => {},
    });
    const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const reader = response.body!.getReader();
    push!('data: first\n\n');
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: first\n\n');
    await running.pop()!.close();
    await expect(reader.read()).rejects.toThrow();
  });

  it('reports a port already in use', async () => {
    const server = await serve();
    await expect(serveHttp(createMcpHttpApp({ endpoint: statelessEndpoint(pingServer) }), { port: Number(server.url.port) })).rejects.toThrow(/EADDRINUSE/);
  });
});
