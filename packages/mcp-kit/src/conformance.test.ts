// Both services' real executables over HTTP on 127.0.0.1, checked by the official MCP conformance suite
// (@modelcontextprotocol/conformance, `conformance server --url`): the support service through a proxy that adds a
// valid customer token, and directly without one (401 with a Bearer challenge everywhere).
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintCustomerToken } from '../../support-mcp/src/auth/customer-token.ts';
import { spawnHttpServer, TEST_TOKEN_SECRET, type SpawnedHttpServer } from '../../support-mcp/src/testing/http-server.ts';
import { makeTempDb, type TempDb } from '../../support-mcp/src/testing/temp-db.ts';
import { startBearerProxy, type BearerProxy } from './testing/bearer-proxy.ts';
import { APPLICABLE_SCENARIOS, conformanceProblems, NOT_APPLICABLE_SCENARIOS, runConformance } from './testing/conformance.ts';
import { rawPost } from './testing/raw-post.ts';

const CATALOG_BIN = resolve(fileURLToPath(import.meta.url), '../../../catalog-mcp/bin/catalog-mcp.js');

function spawnCatalog(): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [CATALOG_BIN, '--http', '--host', '127.0.0.1', '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolveUrl, reject) => {
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const url = /serving MCP on (http:\/\/\S+)/.exec(stderr)?.[1];
      if (url) resolveUrl({ url, stop });
    });
    child.once('exit', (code) => reject(new Error(`catalog-mcp exited (${code}) before listening:\n${stderr}`)));
  });
}

describe('catalog service over HTTP', () => {
  let catalog: Awaited<ReturnType<typeof spawnCatalog>>;
  beforeAll(async () => {
    catalog = await spawnCatalog();
  });
  afterAll(() => catalog?.stop());

  it('passes every applicable conformance scenario; the others fail only for want of the reference fixtures', async () => {
    const results = await runConformance({ url: catalog.url });
    expect(conformanceProblems(results)).toEqual([]);
    // Stateless (no session), so the multiple-streams scenario has no session to open streams on: a warning, no failure.
    expect(results['server-sse-multiple-streams']!.map((c) => c.status)).toEqual(['WARNING']);
  }, 60_000);
});

describe('support service over HTTP', () => {
  let temp: TempDb;
  let support: SpawnedHttpServer;
  let proxy: BearerProxy;
  beforeAll(async () => {
    temp = makeTempDb('support-conformance-');
    support = await spawnHttpServer({ dbPath: temp.path });
    proxy = await startBearerProxy({ target: support.url, token: await mintCustomerToken({ customerId: 1, secret: TEST_TOKEN_SECRET }) });
  });
  afterAll(async () => {
    await proxy?.close();
    await support?.stop();
    temp?.cleanup();
  });

  it('with a valid customer token: passes every applicable conformance scenario', async () => {
    const results = await runConformance({ url: proxy.url });
    expect(conformanceProblems(results)).toEqual([]);
    // 2025-era clients get a session here: the scenario really opens concurrent POST streams on it.
    expect(results['server-sse-multiple-streams']!.map((c) => c.status)).toContain('SUCCESS');
  }, 60_000);

  it('without a token: every scenario is refused with 401 invalid_token', async () => {
    const results = await runConformance({ url: support.url });
    expect(Object.keys(results).sort()).toEqual([...APPLICABLE_SCENARIOS, ...Object.keys(NOT_APPLICABLE_SCENARIOS)].sort());
    for (const [scenario, checks] of Object.entries(results)) {
      const failed = checks.filter((c) => c.status === 'FAILURE');
      expect(failed.length, scenario).toBeGreaterThan(0);
      for (const check of failed) expect(check.errorMessage, scenario).toMatch(/invalid_token|got 401/);
    }
  }, 60_000);

  it('answers every method without a valid token with 401 and a Bearer challenge', async () => {
    const initialize = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    };
    const expired = await mintCustomerToken({ customerId: 1, secret: TEST_TOKEN_SECRET, ttlSeconds: 60, now: new Date(Date.now() - 3_600_000) });
    const forged = await mintCustomerToken({ customerId: 1, secret: 'another-secret-of-at-least-32-bytes!!' });
    const attempts: Array<[what: string, send: () => Promise<{ status: number; challenge: string | null }>]> = [
      ['POST initialize, no token', async () => fromRaw(await rawPost(support.url, initialize))],
      ['POST 2026-07-28 tools/list, no token', async () => fromRaw(await rawPost(support.url, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, { 'mcp-protocol-version': '2026-07-28' }))],
      ['POST, expired token', async () => fromRaw(await rawPost(support.url, initialize, { authorization: `Bearer ${expired}` }))],
      ['POST, token of another secret', async () => fromRaw(await rawPost(support.url, initialize, { authorization: `Bearer ${forged}` }))],
      ['POST, Basic credentials', async () => fromRaw(await rawPost(support.url, initialize, { authorization: 'Basic dXNlcjpwYXNz' }))],
      ['GET, no token', async () => fromFetch(await fetch(support.url, { headers: { accept: 'text/event-stream' } }))],
      ['DELETE, no token', async () => fromFetch(await fetch(support.url, { method: 'DELETE', headers: { 'mcp-session-id': 'x' } }))],
    ];
    for (const [what, send] of attempts) {
      const { status, challenge } = await send();
      expect(status, what).toBe(401);
      expect(challenge, what).toMatch(/^Bearer error="invalid_token", error_description="[^"]+"$/);
    }
  });
});

const fromRaw = (r: { status: number; headers: Record<string, string | string[] | undefined> }) => ({
  status: r.status,
  challenge: (r.headers['www-authenticate'] as string | undefined) ?? null,
});
const fromFetch = async (r: Response) => {
  await r.body?.cancel();
  return { status: r.status, challenge: r.headers.get('www-authenticate') };
};
