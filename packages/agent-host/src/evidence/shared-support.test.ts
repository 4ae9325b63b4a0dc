// ONE support service for every customer (the customer in a bearer token the host mints per customer) and one
// catalog service, in both layouts the host runs itself: inside the host (the default: the services' stateless HTTP
// face called without a socket) and as two child processes (`SUPPORT_MCP_MODE=process`, `CATALOG_MCP_MODE=stdio`).
// Proven through the real interface (sign-in, chat, admin), the processes counted by command line: none in the
// default layout and two in the other however many customers sign in, each customer still sees only their own
// account through the shared service, and a service process killed between turns is started again by the next call.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHost } from '../compose.ts';
import { makeDataDir, startTestHost, TestClient } from '../testing/host-harness.ts';
import { waitFor, waitForReady } from '../testing/wait.ts';
import { isAlive, MCP_SERVICE_PROCESSES, processesMatching, signal, waitForMcpChild } from './processes.ts';

const LAYOUTS = {
  'in-process': {},
  processes: MCP_SERVICE_PROCESSES,
} as const;

for (const [layout, env] of Object.entries(LAYOUTS)) {
  describe(`one shared support service (${layout})`, () => {
    const children = layout === 'processes' ? 1 : 0;
  let host: RunningHost;
  let data: ReturnType<typeof makeDataDir>;

  beforeAll(async () => {
    data = makeDataDir();
    host = await startTestHost(data.dir, env);
  });
  afterAll(async () => {
    await host?.close();
    data?.remove();
  });

  /** The MCP processes started on this data folder, by server. */
  const mcpProcesses = () => {
    const ours = processesMatching(`${data.dir}/chinook.db`);
    return {
      catalog: ours.filter((p) => p.args.includes('catalog-mcp')),
      support: ours.filter((p) => p.args.includes('support-mcp')),
    };
  };

  function emailOf(customerId: number): string {
    const db = new Database(join(data.dir, 'chinook.db'), { readonly: true });
    try {
      return (db.prepare('SELECT Email AS email FROM Customer WHERE CustomerId = ?').get(customerId) as { email: string }).email;
    } finally {
      db.close();
    }
  }

  async function signIn(customerId: number): Promise<TestClient> {
    const client = new TestClient(host.url);
    await client.login(customerId);
    return client;
  }

    it('starts both MCP services at start-up, before any request, so the first /readyz does not wait for a cold start', async () => {
      const both = await waitFor(() => {
        const { catalog, support } = mcpProcesses();
        return catalog.length === children && support.length === children ? { catalog, support } : undefined;
      });
      expect(both.catalog).toHaveLength(children);
      expect(await waitForReady(host.url)).toEqual({ database: 'ok', events: 'ok', catalog: 'ok', support: 'ok' });
    });

    it(`serves 30 customers at once from ${children * 2} MCP processes, each customer seeing only their own account`, async () => {
      const customers = Array.from({ length: 30 }, (_, i) => i + 1);
      const clients = await Promise.all(customers.map(signIn));
      expect(String((await clients[0]!.chat('Which albums do you have by AC/DC?')).done.reply)).toContain('Let There Be Rock');
      const replies = await Promise.all(clients.map(async (client) => String((await client.chat("What's on my account?")).done.reply)));
      const directory = customers.map((id) => ({ email: emailOf(id) }));
      for (const [i, reply] of replies.entries()) {
        // Every customer's profile answer names their own email, never another's.
        expect(reply, `customer ${customers[i]}`).toContain(directory[i]!.email);
        for (const [j, other] of directory.entries()) if (j !== i) expect(reply).not.toContain(other.email);
      }
      const { catalog, support } = mcpProcesses();
      expect(support.map((p) => p.args)).toEqual(children ? [expect.stringContaining('--http')] : []);
      expect(catalog).toHaveLength(children);
    });

    it("does not let a customer read another customer's invoice through the shared service", async () => {
      const [stranger, owner] = await Promise.all([signIn(16), signIn(1)]);
      const [theirs, own] = await Promise.all([stranger.chat('Show me invoice 98'), owner.chat('Show me invoice 98')]);
      expect(String(theirs.done.reply)).toMatch(/not found/i);
      expect(String(own.done.reply)).toMatch(/98/);
      expect(String(own.done.reply)).not.toMatch(/not found/i);
    });

    // Only a process can be killed: inside the host the service lives and dies with it.
    if (children > 0)
      it('killed between turns, is started again by the next call, and the count is still two', async () => {
        const client = await signIn(7);
        expect(String((await client.chat("What's on my account?")).done.reply)).not.toMatch(/could not complete/);
        const first = await waitForMcpChild(data.dir, 'support');
        signal(first, 'SIGKILL');
        await waitFor(() => !isAlive(first) || undefined);
        const { done } = await client.chat("What's on my account?");
        expect(String(done.reply)).toContain(emailOf(7));
        const second = await waitForMcpChild(data.dir, 'support');
        expect(second).not.toBe(first);
        const { catalog, support } = mcpProcesses();
        expect([catalog.length, support.length]).toEqual([1, 1]);
      });
  });
}
