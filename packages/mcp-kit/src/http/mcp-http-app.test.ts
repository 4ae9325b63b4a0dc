// The HTTP face without a socket: the endpoint is a stub that says what reached it.
import { OAuthError, OAuthErrorCode, type AuthInfo, type OAuthTokenVerifier } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { createMcpHttpApp, type McpEndpoint, type McpHttpAppOptions } from './mcp-http-app.ts';

function stubEndpoint() {
  const seen: Array<{ method: string; authInfo: AuthInfo | undefined }> = [];
  const endpoint: McpEndpoint & { closed: boolean } = {
    closed: false,
    async fetch(request, options) {
      if (request.headers.get('x-explode')) throw new Error('endpoint blew up at /secret/path');
      seen.push({ method: request.method, authInfo: options?.authInfo });
      return Response.json({ served: true });
    },
    async close() {
      endpoint.closed = true;
    },
  };
  return { endpoint, seen };
}

const verifier: OAuthTokenVerifier = {
  async verifyAccessToken(token) {
    if (token !== 'good') throw new OAuthError(OAuthErrorCode.InvalidToken, 'unknown token');
    return { token, clientId: 'customer:1', scopes: ['support'], expiresAt: Date.now() / 1000 + 60, extra: { customerId: 1 } };
  },
};

function app(options: Partial<McpHttpAppOptions> = {}) {
  const stub = stubEndpoint();
  const lines: string[] = [];
  return { ...stub, lines, app: createMcpHttpApp({ endpoint: stub.endpoint, log: (line) => lines.push(line), ...options }) };
}

const request = (path: string, headers: Record<string, string> = {}, method = 'POST') =>
  new Request(`http://127.0.0.1${path}`, { method, headers: { host: '127.0.0.1:3001', ...headers } });

describe('createMcpHttpApp', () => {
  it('hands /mcp to the endpoint and answers /healthz itself', async () => {
    const { app: a, seen } = app();
    expect(await (await a.fetch(request('/mcp'))).json()).toEqual({ served: true });
    expect(seen).toEqual([{ method: 'POST', authInfo: undefined }]);
    expect(await (await a.fetch(request('/healthz', {}, 'GET'))).json()).toEqual({ status: 'ok' });
  });

  it('answers HEAD /healthz as GET without a body, and reads the path percent-decoded', async () => {
    const { app: a, seen } = app();
    const head = await a.fetch(request('/healthz', {}, 'HEAD'));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await a.fetch(request('/%6Dcp?x=1'))).status).toBe(200);
    expect(seen).toHaveLength(1);
  });

  it('answers any other path, or /healthz with another method, with a JSON-RPC 404', async () => {
    const { app: a, seen } = app();
    for (const res of [await a.fetch(request('/admin')), await a.fetch(request('/healthz')), await a.fetch(request('/mcp/'))]) {
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32000, message: 'Not found: the MCP endpoint is /mcp' } });
    }
    expect(seen).toEqual([]);
  });

  it.each(['/mcp', '/healthz', '/admin'])('refuses a foreign Host or Origin on %s before anything else', async (path) => {
    const { app: a, seen } = app({ verifier });
    const host = await a.fetch(request(path, { host: 'evil.example:3001' }));
    expect(host.status).toBe(403);
    expect(await host.json()).toMatchObject({ error: { code: -32000, message: 'Invalid Host: evil.example' } });
    const origin = await a.fetch(request(path, { origin: 'http://evil.example', authorization: 'Bearer good' }));
    expect(origin.status).toBe(403);
    expect(await origin.json()).toMatchObject({ error: { message: 'Invalid Origin: evil.example' } });
    expect(seen).toEqual([]);
  });

  it('accepts localhost spellings and a localhost Origin; other names only when configured', async () => {
    const { app: local } = app();
    for (const host of ['localhost:3001', '127.0.0.1', '[::1]:3001']) expect((await local.fetch(request('/mcp', { host }))).status, host).toBe(200);
    expect((await local.fetch(request('/mcp', { origin: 'http://localhost:5173' }))).status).toBe(200);
    const { app: internal } = app({ allowedHosts: ['catalog.internal'] });
    expect((await internal.fetch(request('/mcp', { host: 'catalog.internal:3001' }))).status).toBe(200);
    expect((await internal.fetch(request('/mcp', { host: 'localhost:3001' }))).status).toBe(403);
  });

  it('with a verifier, refuses /mcp without a valid bearer token (401 challenge) and passes the AuthInfo on', async () => {
    const { app: a, seen } = app({ verifier });
    for (const headers of [{}, { authorization: 'Basic Zm9vOmJhcg==' }, { authorization: 'Bearer bad' }] as Record<string, string>[]) {
      const res = await a.fetch(request('/mcp', headers));
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    expect(seen).toEqual([]);
    expect((await a.fetch(request('/healthz', {}, 'GET'))).status).toBe(200);
    expect((await a.fetch(request('/mcp', { authorization: 'Bearer good' }))).status).toBe(200);
    expect(seen).toEqual([{ method: 'POST', authInfo: expect.objectContaining({ clientId: 'customer:1', extra: { customerId: 1 } }) }]);
  });

  it('refuses a declared body over 256 KiB with 413 before the endpoint sees it', async () => {
    const { app: a, seen } = app();
    const res = await a.fetch(request('/mcp', { 'content-length': String(256 * 1024 + 1) }));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: -32000, message: 'Payload Too Large: Request body must not exceed 262144 bytes' } });
    expect((await a.fetch(request('/mcp', { 'content-length': String(256 * 1024) }))).status).toBe(200);
    expect(seen).toHaveLength(1);
  });

  it('logs an unexpected failure and answers a bare JSON-RPC 500', async () => {
    const { app: a, lines } = app();
    const res = await a.fetch(request('/mcp', { 'x-explode': '1' }));
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('{"jsonrpc":"2.0","error":{"code":-32603,"message":"Internal server error"},"id":null}');
    expect(lines.join('\n')).toContain('endpoint blew up');
  });

  it('closes the endpoint', async () => {
    const { app: a, endpoint } = app();
    await a.close();
    expect(endpoint.closed).toBe(true);
  });
});
