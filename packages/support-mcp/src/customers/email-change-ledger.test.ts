import Database from 'better-sqlite3';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openSupportDb } from '../db/open-db.ts';
import { readEmail, readEmailChanges } from '../testing/email-flow.ts';
import { makeTempDb } from '../testing/temp-db.ts';
import { EmailChangeLedger, type RecordEmailChangeInput } from './email-change-ledger.ts';

const temp = makeTempDb();
const db = openSupportDb(temp.path);
const fixedNow = new Date('2026-01-02T03:04:05.000Z');
const ledger = new EmailChangeLedger(db, () => fixedNow);
afterAll(() => {
  db.close();
  temp.cleanup();
});
beforeEach(() => {
  db.exec(`DELETE FROM algorhythm_email_changes; UPDATE Customer SET Email = 'luisg@embraer.com.br' WHERE CustomerId = 1`);
});

const input = (over: Partial<RecordEmailChangeInput> = {}): RecordEmailChangeInput => ({
  customerId: 1,
  oldEmail: 'luisg@embraer.com.br',
  newEmail: 'luis@example.com',
  reason: 'new job',
  approvedBy: 'Ann Admin',
  note: 'ok',
  nonce: 'nonce-0000000000000001',
  requestedAt: '2026-01-02T00:00:00.000Z',
  ...over,
});

describe('EmailChangeLedger', () => {
  it('changes the email and writes the audit row together', () => {
    expect(ledger.record(input())).toEqual({
      kind: 'changed',
      change: {
        changeId: expect.any(Number),
        oldEmail: 'luisg@embraer.com.br',
        newEmail: 'luis@example.com',
        reason: 'new job',
        approvedBy: 'Ann Admin',
        note: 'ok',
        createdAt: fixedNow.toISOString(),
      },
    });
    expect(readEmail(temp.path, 1)).toBe('luis@example.com');
    expect(readEmailChanges(temp.path)).toMatchObject([{ customer_id: 1, nonce: 'nonce-0000000000000001', requested_at: '2026-01-02T00:00:00.000Z' }]);
  });

  it('a replay of the same approval writes nothing; another approval of the made change is unchanged', () => {
    const first = ledger.record(input());
    expect(ledger.record(input())).toEqual({ kind: 'replayed', change: (first as { change: unknown }).change });
    expect(ledger.record(input({ nonce: 'nonce-0000000000000002' }))).toEqual({ kind: 'unchanged', currentEmail: 'luis@example.com' });
    expect(readEmailChanges(temp.path)).toHaveLength(1);
    // The nonce belongs to customer 1: no other customer sees it as theirs.
    expect(ledger.findByNonce(2, 'nonce-0000000000000001')).toBeUndefined();
  });

  it('refuses when the email changed since the request, and for a missing customer, writing nothing', () => {
    db.prepare(`UPDATE Customer SET Email = 'other@example.com' WHERE CustomerId = 1`).run();
    expect(ledger.record(input())).toEqual({ kind: 'changed_since', currentEmail: 'other@example.com' });
    expect(ledger.record(input({ customerId: 424242 }))).toEqual({ kind: 'not_found' });
    expect(readEmail(temp.path, 1)).toBe('other@example.com');
    expect(readEmailChanges(temp.path)).toEqual([]);
  });

  it('one transaction: when the audit row cannot be written, the email is not changed either', () => {
    // approved_by over 200 characters violates the table's CHECK after the UPDATE ran.
    expect(() => ledger.record(input({ approvedBy: 'x'.repeat(201) }))).toThrow(/CHECK/);
    expect(readEmail(temp.path, 1)).toBe('luisg@embraer.com.br');
    expect(readEmailChanges(temp.path)).toEqual([]);
  });

  it('the database refuses a second row for one approval', () => {
    ledger.record(input());
    const other = new Database(temp.path);
    try {
      expect(() =>
        other
          .prepare(
            `INSERT INTO algorhythm_email_changes (customer_id, old_email, new_email, approved_by, nonce, requested_at, created_at)
             VALUES (1, 'a@b.co', 'c@d.co', 'x', 'nonce-0000000000000001', 'now', 'now')`,
          )
          .run(),
      ).toThrow(/UNIQUE/);
    } finally {
      other.close();
    }
  });
});
