import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { keepAliveFetch } from './keep-alive-fetch.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => (s.closeAllConnections(), s.close(resolve)))));
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<URL> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
}

describe('keepAliveFetch', () => {
  it('sends the method, headers and body; answers JSON whole, SSE as a stream, 204 without a body', async () => {
    const seen: Array<{ method?: string; headers: Record<string, unknown>; body: string }> = [];
    const url = await listen((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method, headers: req.headers, body });
        if (req.headers['x-kind'] === 'sse') {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.write('data: one\n\n');
          setTimeout(() => res.end('data: two\n\n'), 10);
        } else if (req.headers['x-kind'] === 'empty') {
          res.writeHead(204).end();
        } else {
          res.setHeader('set-cookie', ['a=1', 'b=2']);
          res.writeHead(201, { 'content-type': 'application/json' }).end('{"ok":true}');
        }
      });
    });
    const http = keepAliveFetch({ target: async () => url, retarget: async () => url });
    try {
      const headers = new Headers({ 'content-type': 'application/json', authorization: 'Bearer t' });
      const json = await http.fetch(url, { method: 'POST', headers, body: '{"x":1}' });
      expect(json.status).toBe(201);
      expect(await json.json()).toEqual({ ok: true });
      expect(json.headers.get('set-cookie')).toBe('a=1, b=2');
      expect(seen[0]).toMatchObject({ method: 'POST', body: '{"x":1}', headers: { authorization: 'Bearer t', 'content-length': '7' } });

      const sse = await http.fetch(url, { method: 'POST', headers: { 'x-kind': 'sse' }, body: '{}' });
      expect(sse.headers.get('content-type')).toBe('text/event-stream');
      expect(await sse.text()).toBe('data: one\n\ndata: two\n\n');

      const empty = await http.fetch(url, { method: 'POST', headers: [['x-kind', 'empty']], body: '{}' });
      expect(empty.status).toBe(204);
      expect(empty.body).toBeNull();
    } finally {
      http.close();
    }
  });

  it('reports a connection lost under a request as the SDK ConnectionClosed error', async () => {
    const url = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"partial":');
      setTimeout(() => res.destroy(), 10);
    });
    const http = keepAliveFetch({ target: async () => url, retarget: async () => url });
    try {
      await expect(http.fetch(url, { method: 'POST', body: '{}' })).rejects.toThrow(/Connection to the MCP service lost/);
    } finally {
      http.close();
    }
  });
});
