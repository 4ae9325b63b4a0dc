import type { ChangeRow } from '../customers/email-change-ledger.ts';
// Test helpers for `change_email`: rounds like the agent host drives them, and the rows it touches.
import type { CallToolResult, Client, InputRequiredResult } from '@modelcontextprotocol/client';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import type { EmailChangeOutcome } from '../tools/email-change-outcome.ts';
import { callManual, isInputRequired } from './clients.ts';
import { answeredBy, firstApprovalRound } from './refund-flow.ts';

export type Answer = { action: 'accept' | 'decline' | 'cancel'; content?: Record<string, unknown> };

export const confirm = (note?: string) => ({ action: 'accept' as const, content: { confirm: true, ...(note ? { note } : {}) } });

const argsOf = (newEmail: string, reason?: string) => (reason === undefined ? { new_email: newEmail } : { new_email: newEmail, reason });

/** First round on a 2026-07-28 client: asserts an approval request came back and returns it. */
export const firstEmailRound = (client: Client, newEmail: string, reason?: string) =>
  firstApprovalRound(client, 'change_email', argsOf(newEmail, reason));

/** Second round: the same call with the answer, the sealed state and (optionally) who answered in `_meta`. */
export function secondEmailRound(
  client: Client,
  round: { newEmail: string; reason?: string; requestState: string; answer: Answer; approver?: string },
): Promise<CallToolResult | InputRequiredResult> {
  return callManual(client, 'change_email', argsOf(round.newEmail, round.reason), {
    inputResponses: { approval: round.answer },
    requestState: round.requestState,
    ...(round.approver === undefined ? {} : { _meta: answeredBy(round.approver) }),
  });
}

export function emailOutcomeOf(result: CallToolResult | InputRequiredResult): EmailChangeOutcome {
  if (isInputRequired(result)) throw new Error('expected a final result, got input_required');
  expect(result.isError ?? false, JSON.stringify(result.content)).toBe(false);
  return result.structuredContent as EmailChangeOutcome;
}

export type EmailChangeRow = ChangeRow;

function withDb<T>(path: string, run: (db: Database.Database) => T, readonly = true): T {
  const db = new Database(path, { readonly, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return run(db);
  } finally {
    db.close();
  }
}

/** The audit rows, straight from the SQLite file through a separate connection. */
export function readEmailChanges(path: string, customerId?: number): EmailChangeRow[] {
  return withDb(path, (db) => {
    if (!db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'algorhythm_email_changes'`).get()) return [];
    return (
      customerId === undefined
        ? db.prepare('SELECT * FROM algorhythm_email_changes ORDER BY change_id').all()
        : db.prepare('SELECT * FROM algorhythm_email_changes WHERE customer_id = ? ORDER BY change_id').all(customerId)
    ) as EmailChangeRow[];
  });
}

export const readEmail = (path: string, customerId: number): string =>
  withDb(path, (db) => db.prepare('SELECT Email FROM Customer WHERE CustomerId = ?').pluck().get(customerId) as string);

/** Changes an email behind the server's back (another system, another approval). */
export const setEmail = (path: string, customerId: number, email: string) =>
  withDb(path, (db) => db.prepare('UPDATE Customer SET Email = ? WHERE CustomerId = ?').run(email, customerId), false);

/** A digest of every Customer row except `except`'s: proves nobody else's account moved. */
export const customersDigest = (path: string, except?: number) =>
  withDb(path, (db) =>
    createHash('sha256')
      .update(JSON.stringify(db.prepare('SELECT * FROM Customer WHERE CustomerId IS NOT ? ORDER BY CustomerId').all(except ?? null)))
      .digest('hex'),
  );
