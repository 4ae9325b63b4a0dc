import { z } from 'zod';
import type { Refund } from '../refunds/refund-ledger.ts';
import { okResult } from '@algorhythm/mcp-kit/tools';

export const RefundRecord = z.object({
  refundId: z.number().int(),
  invoiceId: z.number().int(),
  amount: z.number().describe('US dollars'),
  reason: z.string().nullable(),
  approvedBy: z.string(),
  note: z.string().nullable(),
  createdAt: z.string().describe('ISO 8601 timestamp'),
});

export const REFUND_STATUSES = ['refunded', 'already_refunded', 'declined', 'cancelled', 'expired', 'unavailable'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/** `process_refund`'s structuredContent (docs/tool-contracts.md). */
export const RefundOutcome = z.object({
  status: z.enum(REFUND_STATUSES).describe('What happened; only `refunded` means money is going back'),
  invoiceId: z.number().int(),
  amount: z.number().nullable().describe('US dollars'),
  message: z.string(),
  refund: RefundRecord.nullable().describe('The ledger record, when one exists'),
});
export type RefundOutcome = z.infer<typeof RefundOutcome>;

export const money = (amount: number) => `$${amount.toFixed(2)}`;

export function outcome(
  status: RefundStatus,
  invoiceId: number,
  amount: number | null,
  message: string,
  refund: Refund | null = null,
) {
  const value: RefundOutcome = { status, invoiceId, amount, message, refund };
  return okResult(value, message);
}

export const refundedOutcome = (refund: Refund, replay: boolean) =>
  outcome(
    'refunded',
    refund.invoiceId,
    refund.amount,
    replay
      ? `Invoice ${refund.invoiceId} was refunded (${money(refund.amount)}) by this same approval earlier; no second refund was made.`
      : `Refund recorded: invoice ${refund.invoiceId}, ${money(refund.amount)}, approved by ${refund.approvedBy}.`,
    refund,
  );

export const alreadyRefundedOutcome = (refund: Refund) =>
  outcome(
    'already_refunded',
    refund.invoiceId,
    refund.amount,
    `Invoice ${refund.invoiceId} was already refunded (${money(refund.amount)} on ${refund.createdAt.slice(0, 10)}); nothing more was refunded.`,
    refund,
  );
