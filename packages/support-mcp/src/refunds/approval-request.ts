import { z } from 'zod';
import type { ApprovalForm, ApprovalSummary } from '../approvals/approval-request.ts';

export { APPROVAL_INPUT_KEY } from '../approvals/approval-request.ts';

/**
 * The flat form the person deciding fills in (wire JSON Schema of the elicitation). No approver field:
 * who answered comes from the retried request's `_meta` (approval-answer.ts), not from a typed name.
 */
export const APPROVAL_REQUESTED_SCHEMA = {
  type: 'object',
  properties: {
    approve: {
      type: 'boolean',
      title: 'Approve refund',
      description: 'Tick to refund the full invoice amount; leave unticked to refuse.',
      default: false,
    },
    note: {
      type: 'string',
      title: 'Note',
      description: 'Optional note kept with the refund record.',
      maxLength: 1000,
    },
  },
  required: ['approve'],
} as const satisfies ApprovalForm;

/** The accepted form content, validated: it arrives from the client and is untrusted. */
export const RefundApprovalAnswer = z.object({
  approve: z.boolean(),
  // The advertised limit holds for what the client sent, before trimming (as the form checks it).
  note: z.string().max(1000).trim().optional(),
});

export const INCOMPLETE_REFUND_FORM =
  'The approval form was incomplete: `approve` must be true or false (and a `note` at most 1000 characters). Nothing was changed.';

export type RefundFacts = {
  customerName: string;
  invoiceId: number;
  date: string;
  amount: number;
  reason: string | null;
};

const usd = (amount: number) => `$${amount.toFixed(2)}`;

export function approvalMessage(args: RefundFacts): string {
  return (
    `Refund approval needed. Customer: ${args.customerName}. Invoice ${args.invoiceId} dated ${args.date}, ` +
    `amount ${usd(args.amount)} (full invoice total). Reason given: ${args.reason ? `"${args.reason}"` : 'none'}. ` +
    `Approve this refund?`
  );
}

/** `_meta` summary: one pending approval per invoice (`refund:invoice:N`). */
export function refundSummary(args: RefundFacts): ApprovalSummary {
  return {
    title: `Refund of invoice ${args.invoiceId} (${usd(args.amount)})`,
    key: `refund:invoice:${args.invoiceId}`,
    facts: [
      { label: 'Customer', value: args.customerName },
      { label: 'Invoice', value: `#${args.invoiceId}, ${args.date}` },
      { label: 'Amount', value: `${usd(args.amount)} (full invoice total)` },
      { label: 'Reason', value: args.reason ?? 'none given' },
    ],
  };
}
