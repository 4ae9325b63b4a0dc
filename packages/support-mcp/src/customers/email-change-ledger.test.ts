import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openSupportStore } from '../store/open-store.ts';
import type { SupportStore } from '../store/support-store.ts';
import { BACKENDS, useTestBackend, type TestBackend } from '../testing/backend.ts';
import type { RecordEmailChangeInput } from './email-change-ledger.ts';

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

describe.each(BACKENDS)('the email change ledger on %s', (kind) => {
  const database = useTestBackend(kind);
  const fixedNow = new Date('2026-01-02T03:04:05.000Z');
  let backend: TestBackend;
  let ledger: SupportStore;
  beforeAll(async () => {
    backend = await database();
    ledger = openSupportStore(backend.open(), () => fixedNow);
  });
  beforeEach(async () => {
    await backend.exec('DELETE FROM algorhythm_email_changes');
    await backend.setEmail(1, 'luisg@embraer.com.br');
  });

  it('changes the email and writes the audit row together', async () => {
    expect(await ledger.recordEmailChange(input())).toEqual({
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
    expect(await backend.readEmail(1)).toBe('luis@example.com');
    expect(await backend.readEmailChanges()).toMatchObject([{ customer_id: 1, nonce: 'nonce-0000000000000001', requested_at: '2026-01-02T00:00:00.000Z' }]);
  });

  it('a replay of the same approval writes nothing; another approval of the made change is unchanged', async () => {
    const first = await ledger.recordEmailChange(input());
    expect(await ledger.recordEmailChange(input())).toEqual({ kind: 'replayed', change: (first as { change: unknown }).change });
    expect(await ledger.recordEmailChange(input({ nonce: 'nonce-0000000000000002' }))).toEqual({ kind: 'unchanged', currentEmail: 'luis@example.com' });
    expect(await backend.readEmailChanges()).toHaveLength(1);
    // The nonce belongs to customer 1: no other customer sees it as theirs.
    expect(await ledger.findEmailChange(2, 'nonce-0000000000000001')).toBeUndefined();
  });

  it('refuses when the email changed since the request, and for a missing customer, writing nothing', async () => {
    await backend.setEmail(1, 'other@example.com');
    expect(await ledger.recordEmailChange(input())).toEqual({ kind: 'changed_since', currentEmail: 'other@example.com' });
    expect(await ledger.recordEmailChange(input({ customerId: 424242 }))).toEqual({ kind: 'not_found' });
    expect(await backend.readEmail(1)).toBe('other@example.com');
    expect(await backend.readEmailChanges()).toEqual([]);
  });

  it('one transaction: when the audit row cannot be written, the email is not changed either', async () => {
    // approved_by over 200 characters violates the table's CHECK after the UPDATE ran.
    await expect(ledger.recordEmailChange(input({ approvedBy: 'x'.repeat(201) }))).rejects.toThrow(/CHECK|check constraint/);
    expect(await backend.readEmail(1)).toBe('luisg@embraer.com.br');
    expect(await backend.readEmailChanges()).toEqual([]);
  });

  it('the same approval through separate connections (replicas) at once changes the email once', async () => {
    const replicas = [ledger, openSupportStore(backend.open(), () => fixedNow), openSupportStore(backend.open(), () => fixedNow)];
    const results = await Promise.all(Array.from({ length: 9 }, (_, i) => replicas[i % replicas.length]!.recordEmailChange(input())));
    expect(results.map((r) => r.kind).sort()).toEqual(['changed', ...Array(8).fill('replayed')]);
    expect(await backend.readEmailChanges()).toHaveLength(1);
  });

  it('the database refuses a second row for one approval', async () => {
    await ledger.recordEmailChange(input());
    await expect(
      backend.exec(
        `INSERT INTO algorhythm_email_changes (customer_id, old_email, new_email, approved_by, nonce, requested_at, created_at)
         VALUES (1, 'a@b.co', 'c@d.co', 'x', 'nonce-0000000000000001', 'now', 'now')`,
      ),
    ).rejects.toThrow(/UNIQUE|unique constraint/);
  });
});
