import { expect, it } from 'vitest';
import { EmailChangeAnswer, EMAIL_CHANGE_REQUESTED_SCHEMA } from '../customers/email-change-request.ts';
import { APPROVAL_REQUESTED_SCHEMA, RefundApprovalAnswer } from '../refunds/approval-request.ts';

// The length a form advertises is checked on what the client sent, as the admin page checks it: a note of spaces
// over the limit is refused rather than trimmed into range (found by fuzzing).
it.each([
  ['refund', RefundApprovalAnswer, APPROVAL_REQUESTED_SCHEMA.properties.note.maxLength, { approve: true }],
  ['email change', EmailChangeAnswer, EMAIL_CHANGE_REQUESTED_SCHEMA.properties.note.maxLength, { confirm: true }],
] as const)('%s: the note limit applies before trimming', (_name, schema, max, base) => {
  expect(schema.safeParse({ ...base, note: ' '.repeat(max + 1) }).success).toBe(false);
  expect(schema.safeParse({ ...base, note: `  ${'x'.repeat(max - 4)}  ` }).data).toMatchObject({ note: 'x'.repeat(max - 4) });
});
