import { z } from 'zod';
import type { ApprovalForm, ApprovalSummary } from '../approvals/approval-request.ts';

export const MAX_EMAIL_NOTE_LENGTH = 500;

/** The flat form a store admin confirms an email change with (wire JSON Schema of the elicitation). */
export const EMAIL_CHANGE_REQUESTED_SCHEMA = {
  type: 'object',
  properties: {
    confirm: {
      type: 'boolean',
      title: 'Confirm email change',
      description: 'Tick to change the account email to the new address; leave unticked to refuse.',
      default: false,
    },
    note: {
      type: 'string',
      title: 'Note to keep with the change',
      description: 'Optional note kept in the email change audit record.',
      maxLength: MAX_EMAIL_NOTE_LENGTH,
    },
  },
  required: ['confirm'],
} as const satisfies ApprovalForm;

/** The accepted form content, validated: it arrives from the client and is untrusted. */
export const EmailChangeAnswer = z.object({
  confirm: z.boolean(),
  note: z.string().max(MAX_EMAIL_NOTE_LENGTH).trim().optional(),
});

export const INCOMPLETE_EMAIL_FORM =
  `The confirmation form was incomplete: \`confirm\` must be true or false (and a \`note\` at most ${MAX_EMAIL_NOTE_LENGTH} characters). ` +
  'Nothing was changed.';

export type EmailChangeFacts = {
  customerId: number;
  customerName: string;
  oldEmail: string;
  newEmail: string;
  reason: string | null;
};

export function emailChangeMessage(f: EmailChangeFacts): string {
  return (
    `Email change approval needed. Customer: ${f.customerName}. Current email: ${f.oldEmail}. New email: ${f.newEmail}. ` +
    `Reason given: ${f.reason ? `"${f.reason}"` : 'none'}. Confirm this change?`
  );
}

/** `_meta` summary: one pending email change per customer (`email:<customerId>`), whatever the new address. */
export function emailChangeSummary(f: EmailChangeFacts): ApprovalSummary {
  return {
    title: `Email change for ${f.customerName}`.slice(0, 200),
    key: `email:${f.customerId}`,
    facts: [
      { label: 'Current email', value: f.oldEmail },
      { label: 'New email', value: f.newEmail },
      { label: 'Reason', value: f.reason ?? 'none given' },
    ],
  };
}
