import { describe, expect, it } from 'vitest';
import type { McpConnection } from './mcp-connection.ts';
import { createSharedSupport } from './shared-support.ts';

/** A connection whose every request asks the transport's bearer callback, as the SDK's HTTP transport does. */
function fakeConnection(bearer: () => Promise<string>): McpConnection & { seen: string[] } {
  const seen: string[] = [];
  const ask = async () => {
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
    seen.push(await bearer());
  };
  return {
    seen,
    listTools: async () => (await ask(), []),
    async callTool(call) {
      await ask();
      return { type: 'result', result: { type: 'tool-result', callId: call.id, name: call.name, output: seen.at(-1)! } };
    },
    ping: ask,
    describe: () => ({ protocolVersion: '2026-07-28', transport: 'tcp' }),
    close: async () => {},
  };
}

describe('createSharedSupport', () => {
  it("sends each call with its own customer's token, however many run at once over the one connection", async () => {
    let shared: ReturnType<typeof fakeConnection> | undefined;
    const support = createSharedSupport({
      connect: (bearer) => (shared = fakeConnection(bearer)),
      tokenFor: async (customerId) => `token-of-${customerId}`,
    });
    const outputs = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const customerId = (i % 59) + 1;
        const outcome = await support.forCustomer(customerId).callTool({ id: String(i), name: 'get_invoice', arguments: {} });
        return [customerId, outcome.type === 'result' ? outcome.result.output : ''] as const;
      }),
    );
    for (const [customerId, output] of outputs) expect(output).toBe(`token-of-${customerId}`);
    expect(shared!.seen).toHaveLength(200);
  });

  it('has no token to send outside a customer call: the request fails closed', async () => {
    let bearer: (() => Promise<string>) | undefined;
    createSharedSupport({ connect: (b) => ((bearer = b), fakeConnection(b)), tokenFor: async (id) => `token-of-${id}` });
    await expect(bearer!()).rejects.toThrow(/No customer is bound/);
  });

  it('closes the shared connection with the pool, never for one customer', async () => {
    let closed = 0;
    const support = createSharedSupport({
      connect: (bearer) => ({ ...fakeConnection(bearer), close: async () => void closed++ }),
      tokenFor: async (id) => `token-of-${id}`,
    });
    await support.connectionFor(3).close();
    expect(closed).toBe(0);
    await support.close();
    expect(closed).toBe(1);
  });
});
