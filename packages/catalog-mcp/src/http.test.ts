import { rawPost } from '@algorhythm/mcp-kit/testing';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogHttpApp, startCatalogHttpServer, type RunningCatalogHttpServer } from './http.ts';
import { catalogContract, ERA_CASES } from './testing/catalog-contract.ts';
import { useCatalogDb } from './testing/catalog-db.ts';

const db = useCatalogDb();

describe.each(ERA_CASES)('Streamable HTTP, $label client', (era) => {
  let server: RunningCatalogHttpServer;
  let client: Client;
  beforeAll(async () => {
    server = await startCatalogHttpServer({ db, port: 0 });
    client = new Client({ name: 'catalog-mcp-test', version: '0.0.0' }, era.clientOptions);
    await client.connect(new StreamableHTTPClientTransport(server.url));
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  catalogContract(() => client, era);
});

describe('HTTP endpoint edges', () => {
  let server: RunningCatalogHttpServer;
  beforeAll(async () => {
    server = await startCatalogHttpServer({ db, port: 0 });
  });
  afterAll(() => server.close());

  const post = async (body: string, headers: Record<string, string> = {}) => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      body,
    });
    return { status: res.status, body: (await res.json()) as { error?: { code: number; message: string } } };
  };
  const initialize = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });

  it('binds to 127.0.0.1 by default', () => {
    expect(server.url.hostname).toBe('127.0.0.1');
    expect(server.url.pathname).toBe('/mcp');
  });

  it.each([
    ['unparseable JSON', '{"jsonrpc": "2.0", "id": 1,', -32700],
    ['not JSON-RPC', '{"hello":"world"}', -32600],
    ['an empty batch', '[]', -32600],
  ])('answers %s with a JSON-RPC error', async (_label, body, code) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ jsonrpc: '2.0', id: null, error: { code } });
  });

  it('answers a 2026-07-28 request without its _meta envelope with invalid params', async () => {
    const res = await post(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list' }), { 'mcp-protocol-version': '2026-07-28' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ id: 7, error: { code: -32602 } });
  });

  it('refuses a wrong content type, an oversized body, GET and unknown paths', async () => {
    expect((await post('{}', { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post(JSON.stringify({ junk: 'x'.repeat(300_000) }))).status).toBe(413);
    expect((await fetch(server.url)).status).toBe(405);
    const unknown = await fetch(new URL('/admin', server.url));
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { message: 'Not found: the MCP endpoint is /mcp' } });
  });

  it('DNS rebinding: refuses a foreign Host header', async () => {
    const res = await rawPost(server.url, initialize, { host: `evil.example:${server.url.port}` });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: -32000, message: 'Invalid Host: evil.example' } });
  });

  it('DNS rebinding: refuses a foreign Origin, accepts a localhost one', async () => {
    const evil = await post(initialize, { origin: 'http://evil.example' });
    expect(evil.status).toBe(403);
    expect(evil.body).toMatchObject({ error: { message: 'Invalid Origin: evil.example' } });
    const local = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', origin: 'http://localhost:5173' },
      body: initialize,
    });
    expect(local.status).toBe(200);
    await local.body?.cancel();
  });

  it('accepts localhost spellings of Host', async () => {
    for (const host of ['localhost', '127.0.0.1']) {
      const res = await rawPost(server.url, initialize, { host: `${host}:${server.url.port}` });
      expect(res.status, host).toBe(200);
    }
  });
});

describe('createCatalogHttpApp (no socket)', () => {
  const app = createCatalogHttpApp({ db });
  afterAll(() => app.close());

  it('serves a stateless 2025-era tools/call without a session', async () => {
    const res = await app.fetch(
      new Request('http://127.0.0.1/mcp', {
        method: 'POST',
        headers: { host: '127.0.0.1', 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'list_genres', arguments: {} } }),
      }),
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('"name":"Jazz"');
  });

  it('serves /healthz', async () => {
    const res = await app.fetch(new Request('http://localhost/healthz', { headers: { host: 'localhost:3001' } }));
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('accepts extra Host names only when configured', async () => {
    const internal = createCatalogHttpApp({ db, allowedHosts: ['catalog.internal'] });
    const req = (host: string) => new Request('http://x/healthz', { headers: { host } });
    expect((await internal.fetch(req('catalog.internal:3001'))).status).toBe(200);
    expect((await internal.fetch(req('localhost:3001'))).status).toBe(403);
    await internal.close();
  });
});
