import { z } from 'zod';
import { ApprovalStateBase } from '../approvals/approval-state.ts';

/** What the first round of `change_email` seals into `requestState`: the address seen as current and the new one. */
export const EmailChangeStateSchema = ApprovalStateBase.extend({
  kind: z.literal('email_change'),
  oldEmail: z.string(),
  newEmail: z.string(),
  reason: z.string().nullable(),
});
export type EmailChangeState = z.infer<typeof EmailChangeStateSchema>;
