import { okResult } from '@algorhythm/mcp-kit/tools';
import { z } from 'zod';
import type { EmailChange } from '../customers/email-change-ledger.ts';

export const EmailChangeRecord = z.object({
  changeId: z.number().int(),
  oldEmail: z.string(),
  newEmail: z.string(),
  reason: z.string().nullable(),
  approvedBy: z.string().describe('Who answered the approval, as the client reported it'),
  note: z.string().nullable(),
  createdAt: z.string().describe('ISO 8601 timestamp'),
});

export const EMAIL_CHANGE_STATUSES = ['changed', 'unchanged', 'declined', 'cancelled', 'expired', 'unavailable'] as const;
export type EmailChangeStatus = (typeof EMAIL_CHANGE_STATUSES)[number];

/** `change_email`'s structuredContent (docs/tool-contracts.md). */
export const EmailChangeOutcome = z.object({
  status: z.enum(EMAIL_CHANGE_STATUSES).describe('What happened; only `changed` means the account email is now the new one by this request'),
  newEmail: z.string().describe('The address asked for (domain lowercased)'),
  message: z.string(),
  change: EmailChangeRecord.nullable().describe('The audit record, when this approval changed the email'),
});
export type EmailChangeOutcome = z.infer<typeof EmailChangeOutcome>;

export function emailOutcome(status: EmailChangeStatus, newEmail: string, message: string, change: EmailChange | null = null) {
  const value: EmailChangeOutcome = { status, newEmail, message, change };
  return okResult(value, message);
}

export const changedOutcome = (change: EmailChange, replay: boolean) =>
  emailOutcome(
    'changed',
    change.newEmail,
    replay
      ? `The account email was changed to ${change.newEmail} by this same approval earlier; nothing was changed again.`
      : `The account email was changed from ${change.oldEmail} to ${change.newEmail} (approved by ${change.approvedBy}).`,
    change,
  );
