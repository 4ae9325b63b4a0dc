import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHost } from '../compose.ts';
import { admin, makeDataDir, startTestHost, TestClient } from '../testing/host-harness.ts';
import { ledgerRows } from '../testing/ledger.ts';
import { waitForReady } from '../testing/wait.ts';
import { catalogEntry, supportEntry } from './transports.ts';

// The host reaching both MCP servers over Streamable HTTP (one shared support server; the customer travels in
// a bearer token the host mints per request) instead of spawning stdio children.
const TOKEN_SECRET = 'support-token-secret-for-tests-0123456789';
const children: ChildProcess[] = [];
let host: RunningHost;
let data: ReturnType<typeof makeDataDir>;

function serve(entry: string, args: string[], pattern: RegExp, env: Record<string, string> = {}): Promise<string> {
  const child = spawn(process.execPath, [entry, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`${entry} exited ${code}: ${seen}`)));
  });
}

beforeAll(async () => {
  data = makeDataDir();
  const db = join(data.dir, 'chinook.db');
  const [catalogUrl, supportUrl] = await Promise.all([
    serve(catalogEntry(), ['--http', '--port', '0', '--db', db], /serving MCP on (\S+)/),
    serve(supportEntry(), ['--http', '--port', '0', '--db', db], /listening on (\S+)/, { SUPPORT_TOKEN_SECRET: TOKEN_SECRET }),
  ]);
  host = await startTestHost(data.dir, {
    CATALOG_MCP_URL: catalogUrl,
    SUPPORT_MCP_URL: supportUrl.endsWith('/mcp') ? supportUrl : `${supportUrl.replace(/\/$/, '')}/mcp`,
    SUPPORT_TOKEN_SECRET: TOKEN_SECRET,
  });
});
afterAll(async () => {
  await host?.close();
  for (const child of children) child.kill('SIGTERM');
  data?.remove();
});

describe('MCP servers over Streamable HTTP', () => {
  it('is ready and answers a catalog question', async () => {
    expect(await waitForReady(host.url)).toMatchObject({ catalog: 'ok', support: 'ok' });
    const client = new TestClient(host.url);
    await client.login(16);
    const { done } = await client.chat('What albums does AC/DC have?');
    expect(String(done.reply)).toContain('Let There Be Rock');
  });

  it('keeps each customer in scope and completes an approved refund exactly once', async () => {
    const stranger = new TestClient(host.url);
    await stranger.login(16);
    expect(String((await stranger.chat('Show me invoice 98')).done.reply)).toMatch(/not found/i);

    const owner = new TestClient(host.url);
    await owner.login(1);
    const { events } = await owner.chat('I want a refund for invoice 98 because it was a gift I already had');
    const approval = events.find((e) => e.event === 'approval')!.data;
    expect(approval).toMatchObject({ status: 'pending', title: 'Refund of invoice 98 ($3.98)' });
    const decided = await admin(host.url).decide(String(approval.id), 'approve');
    expect(decided.body).toMatchObject({ status: 'accepted', outcome: expect.stringMatching(/Refund recorded/) });
    expect(ledgerRows(data.dir)).toEqual([expect.objectContaining({ invoice_id: 98, customer_id: 1 })]);
  });
});
