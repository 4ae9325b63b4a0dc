// The pure query functions on a real Chinook copy.
import { afterAll, describe, expect, it } from 'vitest';
import { openSupportDb } from '../db/open-db.ts';
import { RefundLedger } from '../refunds/refund-ledger.ts';
import { sqliteSupportStore } from '../store/sqlite-store.ts';
import { makeTempDb } from '../testing/temp-db.ts';
import { formatProfile, getCustomerProfile } from './get-customer-profile.ts';
import { formatInvoiceDetail, formatInvoiceList, getInvoiceDetail, listInvoices } from './get-invoice.ts';
import { approvalMessage } from '../refunds/approval-request.ts';
import { normalizeReason } from './process-refund.ts';
import { ToolError } from '@algorhythm/mcp-kit/tools';

const temp = makeTempDb();
const db = openSupportDb(temp.path);
afterAll(() => {
  db.close();
  temp.cleanup();
});

describe('getCustomerProfile', () => {
  it('returns contact details without internal ids', async () => {
    const store = sqliteSupportStore(db);
    const profile = await getCustomerProfile(store, 16);
    expect(profile).toEqual({
      firstName: 'Frank',
      lastName: 'Harris',
      email: 'fharris@google.com',
      phone: '+1 (650) 253-0000',
      company: 'Google Inc.',
      address: '1600 Amphitheatre Parkway',
      city: 'Mountain View',
      state: 'CA',
      country: 'USA',
      postalCode: '94043-1351',
    });
    expect(Object.keys(profile!)).not.toContain('customerId');
    expect(Object.keys(profile!)).not.toContain('supportRepId');
    expect(formatProfile(profile!)).toContain('Frank Harris');
    expect(await getCustomerProfile(store, 999)).toBeUndefined();
  });
});

describe('invoices', () => {
  it("lists only the customer's invoices, most recent first, with refunded flags", () => {
    const list = listInvoices(db, 1);
    expect(list.truncated).toBe(false);
    expect(list.invoices.map((i) => i.invoiceId)).toEqual([382, 327, 316, 195, 143, 121, 98]);
    expect(list.invoices.at(-1)).toEqual({ invoiceId: 98, date: '2022-03-11', total: 3.98, itemCount: 2, refunded: false });
    expect(listInvoices(db, 1, 3)).toMatchObject({ truncated: true, invoices: [{ invoiceId: 382 }, {}, {}] });
    new RefundLedger(db).record({
      invoiceId: 98, customerId: 1, amountCents: 398, reason: null, approvedBy: 'A', note: null,
      nonce: 'query-test-nonce-0001', requestedAt: 'x',
    });
    expect(listInvoices(db, 1).invoices.at(-1)!.refunded).toBe(true);
    expect(formatInvoiceList(listInvoices(db, 1))).toContain('Invoice 98 (2022-03-11): $3.98, 2 items, refunded');
  });

  it('shows one invoice with its lines only to its owner', () => {
    const detail = getInvoiceDetail(db, 1, 98)!;
    expect(detail).toMatchObject({
      invoiceId: 98,
      total: 3.98,
      billingAddress: 'Av. Brigadeiro Faria Lima, 2170, São José dos Campos, SP, Brazil, 12227-000',
      lines: [
        { track: 'Experiment In Terra', album: 'Battlestar Galactica (Classic), Season 1', artist: 'Battlestar Galactica (Classic)', unitPrice: 1.99, quantity: 1 },
        { track: 'Take the Celestra', unitPrice: 1.99, quantity: 1 },
      ],
    });
    expect(formatInvoiceDetail(detail)).toContain('Experiment In Terra');
    expect(getInvoiceDetail(db, 16, 98)).toBeUndefined();
    expect(getInvoiceDetail(db, 1, 100_000)).toBeUndefined();
  });
});

describe('process_refund helpers', () => {
  it('normalizes reasons and refuses control characters', () => {
    expect(normalizeReason(undefined)).toBeNull();
    expect(normalizeReason('   ')).toBeNull();
    expect(normalizeReason('  scratched disc \n')).toBe('scratched disc');
    expect(() => normalizeReason('bad\u0000byte')).toThrow(ToolError);
  });

  it('writes an approval message a person can decide on', () => {
    expect(approvalMessage({ customerName: 'Frank Harris', invoiceId: 374, date: '2025-07-04', amount: 5.94, reason: null })).toBe(
      'Refund approval needed. Customer: Frank Harris. Invoice 374 dated 2025-07-04, amount $5.94 (full invoice total). ' +
        'Reason given: none. Approve this refund?',
    );
  });
});
