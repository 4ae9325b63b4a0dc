import { z } from 'zod';
import { ApprovalStateBase, type SealedApproval } from '../approvals/approval-state.ts';

// server.ts and the package surface take the shared codec from here.
export { createApprovalStateCodec, EXPIRED_GRACE_SECONDS } from '../approvals/approval-state.ts';
/** The codec's payload: any sealed approval (a refund, an email change). */
export type ApprovalState = SealedApproval;

/** What the first round of `process_refund` seals into `requestState`: the invoice, its amount, the reason. */
export const RefundApprovalStateSchema = ApprovalStateBase.extend({
  // Optional only for states sealed before approvals had kinds (they are all refunds).
  kind: z.literal('refund').optional(),
  invoiceId: z.number().int().positive(),
  amountCents: z.number().int().nonnegative(),
  reason: z.string().nullable(),
});
export type RefundApprovalState = z.infer<typeof RefundApprovalStateSchema>;
