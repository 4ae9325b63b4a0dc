// The server in-process over the SDK's linked in-memory transport (2025-era handshake).
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { customerFromAuthInfo, fixedCustomer, type CustomerResolver } from './customers/customer-binding.ts';
import { createSupportDeps, createSupportServer } from './server.ts';
import type { SupportDatabase } from './store/open-store.ts';
import { BACKENDS, useTestBackend } from './testing/backend.ts';

describe.each(BACKENDS)('on %s', (kind) => {
  const database = useTestBackend(kind);
  let db: SupportDatabase;
  beforeAll(async () => {
    db = (await database()).open();
  });

  async function connect(resolveCustomer: CustomerResolver, log: (line: string) => void = () => {}) {
    const deps = createSupportDeps({ db, resolveCustomer, requestStateKey: 'k'.repeat(32), log });
    const server = createSupportServer(deps);
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'in-memory', version: '1' }, { capabilities: { elicitation: { form: {} } } });
    client.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: { approve: true } }));
    await client.connect(clientSide);
    return client;
  }

  describe('createSupportServer', () => {
    it('lists exactly the contract tools, none with a customer parameter, with honest annotations', async () => {
      const client = await connect(fixedCustomer(1));
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(['change_email', 'get_customer_profile', 'get_invoice', 'process_refund']);
      for (const tool of tools) {
        expect(Object.keys(tool.inputSchema.properties ?? {}).join(',')).not.toMatch(/customer/i);
        expect(tool.inputSchema.additionalProperties).toBe(false);
        expect(tool.outputSchema?.type).toBe('object');
      }
      const byName = Object.fromEntries(tools.map((t) => [t.name, t.annotations]));
      expect(byName['get_customer_profile']).toMatchObject({ readOnlyHint: true });
      expect(byName['get_invoice']).toMatchObject({ readOnlyHint: true });
      expect(byName['process_refund']).toMatchObject({ readOnlyHint: false, destructiveHint: true, idempotentHint: true });
      expect(byName['change_email']).toMatchObject({ readOnlyHint: false, destructiveHint: true, idempotentHint: true });
      const changeEmail = tools.find((t) => t.name === 'change_email')!;
      expect(changeEmail.inputSchema).toMatchObject({
        required: ['new_email'],
        properties: { new_email: { type: 'string', format: 'email', maxLength: 60 }, reason: { type: 'string', maxLength: 500 } },
      });
      expect(changeEmail.outputSchema?.properties).toMatchObject({
        status: { enum: ['changed', 'unchanged', 'declined', 'cancelled', 'expired', 'unavailable'] },
      });
      await client.close();
    });

    it('answers every tool with a clear error when no customer is bound, and writes nothing', async () => {
      const client = await connect(customerFromAuthInfo); // no HTTP auth here: no customer
      for (const [name, args] of [
        ['get_customer_profile', {}],
        ['get_invoice', {}],
        ['get_invoice', { invoice_id: 98 }],
        ['process_refund', { invoice_id: 98 }],
        ['change_email', { new_email: 'someone@example.com' }],
      ] as const) {
        const result = await client.callTool({ name, arguments: args });
        expect(result.isError, name).toBe(true);
        expect(JSON.stringify(result.content)).toContain('No customer is bound to this connection');
      }
      expect(await (await database()).readLedger()).toEqual([]);
      await client.close();
    });

    it('hides internal failures from the model and logs them to stderr', async () => {
      const lines: string[] = [];
      const client = await connect(() => {
        throw new Error('SQLITE_BUSY: database is locked at secret/path');
      }, (line) => lines.push(line));
      const result = await client.callTool({ name: 'get_invoice', arguments: {} });
      expect(result.isError).toBe(true);
      expect(JSON.stringify(result.content)).toContain('internal error');
      expect(JSON.stringify(result.content)).not.toContain('SQLITE');
      expect(lines.join('\n')).toContain('SQLITE_BUSY');
      await client.close();
    });
  });
});
