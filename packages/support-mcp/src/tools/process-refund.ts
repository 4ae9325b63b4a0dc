import { defineTool, ToolError } from '@algorhythm/mcp-kit/tools';
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { runApprovalRounds, type ApprovalTool } from '../approvals/approval-rounds.ts';
import { newApprovalWindow } from '../approvals/approval-state.ts';
import { normalizeReason, reasonSchema } from '../approvals/reason.ts';
import { requireCustomer } from '../customers/customer-binding.ts';
import { dollars } from '../customers/customer-lookup.ts';
import {
  APPROVAL_REQUESTED_SCHEMA,
  approvalMessage,
  INCOMPLETE_REFUND_FORM,
  RefundApprovalAnswer,
  refundSummary,
  type RefundFacts,
} from '../refunds/approval-request.ts';
import { RefundApprovalStateSchema, type RefundApprovalState } from '../refunds/approval-state.ts';
import type { ToolDeps } from './deps.ts';
import { invoiceIdSchema, invoiceNotFound } from './invoice-id.ts';
import { alreadyRefundedOutcome, money, outcome, refundedOutcome, RefundOutcome } from './refund-outcome.ts';

export { MAX_REASON_LENGTH, normalizeReason } from '../approvals/reason.ts';

export const ProcessRefundInput = z
  .object({
    invoice_id: invoiceIdSchema().describe('Number of the invoice to refund in full (one of your own invoices)'),
    reason: reasonSchema('the refund'),
  })
  .strict();

type RefundAnswer = z.infer<typeof RefundApprovalAnswer>;

/** `process_refund` for one call: its checks and outcomes around the shared approval rounds. */
function refundApproval(
  deps: ToolDeps,
  customerId: number,
  invoiceId: number,
  reason: string | null,
): ApprovalTool<RefundApprovalState, RefundAnswer> {
  const { store } = deps;
  const nothing = (status: 'unavailable' | 'expired' | 'declined' | 'cancelled', state: RefundApprovalState, message: string) =>
    outcome(status, state.invoiceId, dollars(state.amountCents), message, null);

  const facts = async (state: RefundApprovalState): Promise<RefundFacts> => {
    const invoice = await store.findOwnedInvoice(state.customerId, state.invoiceId);
    if (!invoice) throw invoiceNotFound(state.invoiceId);
    const customer = await store.findCustomer(state.customerId);
    return {
      customerName: customer ? `${customer.firstName} ${customer.lastName} (${customer.email})` : 'customer',
      invoiceId: state.invoiceId,
      date: invoice.date,
      amount: dollars(state.amountCents),
      reason: state.reason,
    };
  };

  return {
    start: async () => {
      const invoice = await store.findOwnedInvoice(customerId, invoiceId);
      if (!invoice) throw invoiceNotFound(invoiceId);
      const existing = await store.findRefund(customerId, invoiceId);
      if (existing) {
        const { nonce: _nonce, ...refund } = existing;
        return { kind: 'done', result: alreadyRefundedOutcome(refund) };
      }
      const window = newApprovalWindow(customerId, deps.clock, deps.approvalTtlSeconds);
      return { kind: 'ask', state: { ...window, kind: 'refund', invoiceId, amountCents: invoice.totalCents, reason } };
    },

    parseState: (raw) => {
      const parsed = RefundApprovalStateSchema.safeParse(raw);
      return parsed.success ? parsed.data : undefined;
    },

    resume: async (state) => {
      if (state.invoiceId !== invoiceId) {
        throw new ToolError(
          `The approval sent with this request is for invoice ${state.invoiceId}, not invoice ${invoiceId}. Nothing was changed.`,
        );
      }
      if (!(await store.findOwnedInvoice(customerId, invoiceId))) throw invoiceNotFound(invoiceId);
      const existing = await store.findRefund(customerId, invoiceId);
      if (!existing) return undefined;
      const { nonce, ...refund } = existing;
      return nonce === state.nonce ? refundedOutcome(refund, true) : alreadyRefundedOutcome(refund);
    },

    prompt: async (state) => {
      const f = await facts(state);
      return { message: approvalMessage(f), requestedSchema: APPROVAL_REQUESTED_SCHEMA, summary: refundSummary(f) };
    },

    form: RefundApprovalAnswer,
    incompleteForm: INCOMPLETE_REFUND_FORM,

    unavailable: (state) =>
      nothing(
        'unavailable',
        state,
        `This client cannot ask a person for approval (it does not support form elicitation), so invoice ${state.invoiceId} ` +
          `was not refunded. Nothing was changed.`,
      ),

    expired: (state) =>
      nothing(
        'expired',
        state,
        `The approval for invoice ${state.invoiceId} expired before it was granted, so nothing was refunded. Ask again to start a new approval.`,
      ),

    refused: (state, answer) =>
      answer === 'declined'
        ? nothing('declined', state, `The refund of invoice ${state.invoiceId} was declined; nothing was refunded.`)
        : nothing(
            'cancelled',
            state,
            `The approval request for invoice ${state.invoiceId} was dismissed without a decision; nothing was refunded.`,
          ),

    accepted: async (state, form, approval) => {
      if (!form.approve) {
        return nothing(
          'declined',
          state,
          `The refund of invoice ${state.invoiceId} was not approved (answered by ${approval.approvedBy}); nothing was refunded.`,
        );
      }
      const result = await store.recordRefund({ ...approval, invoiceId: state.invoiceId, customerId, amountCents: state.amountCents });
      switch (result.kind) {
        case 'recorded':
          return refundedOutcome(result.refund, false);
        case 'replayed':
          return refundedOutcome(result.refund, true);
        case 'already_refunded':
          return alreadyRefundedOutcome(result.refund);
        case 'not_found':
          throw invoiceNotFound(state.invoiceId);
        case 'amount_changed':
          throw new ToolError(
            `Invoice ${state.invoiceId} changed since the approval was requested (total now ${money(dollars(result.currentAmountCents))}); ` +
              'nothing was refunded. Ask for approval again.',
          );
      }
    },
  };
}

export function registerProcessRefundTool(server: McpServer, deps: ToolDeps): void {
  defineTool(
    server,
    {
      name: 'process_refund',
      title: 'Refund an invoice',
      description:
        'Refunds one of the signed-in customer’s invoices in full, after a person approves it. The server ' +
        'checks the invoice is the customer’s and not refunded yet, then asks for approval (the client shows ' +
        'a form to a human); the refund is recorded only when the approver says yes. The result status says ' +
        'what happened: refunded, already_refunded, declined, cancelled, expired or unavailable.',
      inputSchema: ProcessRefundInput,
      outputSchema: RefundOutcome,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    async (input, ctx) => {
      const customerId = requireCustomer(deps.resolveCustomer, ctx);
      const reason = normalizeReason(input.reason);
      return runApprovalRounds(ctx, customerId, refundApproval(deps, customerId, input.invoice_id, reason), {
        server,
        codec: deps.codec,
        clock: deps.clock,
      });
    },
    deps,
  );
}
