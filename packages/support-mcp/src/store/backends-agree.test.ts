// The two stores answer every read identically, so the tools' outputs are the same bytes on either backend.
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedCustomer } from '../customers/customer-binding.ts';
import { createSupportDeps, createSupportServer } from '../server.ts';
import { useTestBackend } from '../testing/backend.ts';
import { openSupportStore, type SupportDatabase } from './open-store.ts';
import type { SupportStore } from './support-store.ts';

const sqlite = useTestBackend('sqlite');
const postgres = useTestBackend('postgres');
let dbs: { sqlite: SupportDatabase; postgres: SupportDatabase };
let stores: SupportStore[];
beforeAll(async () => {
  dbs = { sqlite: (await sqlite()).open(), postgres: (await postgres()).open() };
  stores = [openSupportStore(dbs.sqlite), openSupportStore(dbs.postgres)];
});

const both = async <T>(read: (store: SupportStore) => Promise<T>) => {
  const [a, b] = await Promise.all(stores.map(read));
  expect(b).toEqual(a);
  return a as T;
};

describe('SQLite and PostgreSQL stores', () => {
  it('agree on every customer, every invoice listing and every invoice with its lines', async () => {
    let invoices = 0;
    for (let customerId = 0; customerId <= 60; customerId++) {
      await both((s) => s.findCustomer(customerId));
      await both((s) => s.listInvoices(customerId, 3));
      const all = await both((s) => s.listInvoices(customerId, 100));
      for (const { invoiceId } of all.invoices) {
        await both((s) => s.getInvoiceDetail(customerId, invoiceId));
        await both((s) => s.findOwnedInvoice(customerId, invoiceId));
        invoices += 1;
      }
      await both((s) => s.getInvoiceDetail(customerId, 98)); // someone else's, or missing, for all but customer 1
    }
    expect(invoices).toBe(412);
  });

  it('give byte-identical tool results', async () => {
    const connect = async (db: SupportDatabase) => {
      const server = createSupportServer(createSupportDeps({ db, resolveCustomer: fixedCustomer(16), requestStateKey: 'k'.repeat(32), log: () => {} }));
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await server.connect(serverSide);
      const client = new Client({ name: 'agree', version: '1' });
      await client.connect(clientSide);
      return client;
    };
    const clients = [await connect(dbs.sqlite), await connect(dbs.postgres)];
    try {
      for (const [name, args] of [
        ['get_customer_profile', {}],
        ['get_invoice', {}],
        ['get_invoice', { invoice_id: 374 }],
        ['get_invoice', { invoice_id: 98 }],
        ['get_invoice', { invoice_id: -1 }],
        ['process_refund', { invoice_id: 374 }],
      ] as const) {
        const [a, b] = await Promise.all(clients.map(async (c) => JSON.stringify(await c.callTool({ name, arguments: args }))));
        expect(b, `${name} ${JSON.stringify(args)}`).toBe(a);
      }
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });
});
