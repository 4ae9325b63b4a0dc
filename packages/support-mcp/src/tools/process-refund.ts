import { randomUUID } from 'node:crypto';
import {
  inputRequired,
  inputResponse,
  type CallToolResult,
  type InputRequiredResult,
  type McpServer,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import { requireCustomer } from '../customers/customer-binding.ts';
import { dollars, findCustomer, findOwnedInvoice, type OwnedInvoice } from '../customers/customer-lookup.ts';
import {
  APPROVAL_INPUT_KEY,
  APPROVAL_REQUESTED_SCHEMA,
  ApprovalAnswer,
  approvalMessage,
  clientCanElicitForm,
} from '../refunds/approval-request.ts';
import { ApprovalStateSchema, type ApprovalState } from '../refunds/approval-state.ts';
import type { ToolDeps } from './deps.ts';
import { defineTool } from './define-tool.ts';
import { invoiceIdSchema } from './invoice-id.ts';
import { alreadyRefundedOutcome, money, outcome, refundedOutcome, RefundOutcome } from './refund-outcome.ts';
import { invoiceNotFound, ToolError } from './tool-error.ts';

export const MAX_REASON_LENGTH = 500;

export const ProcessRefundInput = z
  .object({
    invoice_id: invoiceIdSchema().describe('Number of the invoice to refund in full (one of your own invoices)'),
    reason: z
      .string({ error: 'reason must be text' })
      .max(MAX_REASON_LENGTH, { error: `reason must be at most ${MAX_REASON_LENGTH} characters` })
      .optional()
      .describe(`Why the customer asks for the refund, in their words (at most ${MAX_REASON_LENGTH} characters)`),
  })
  .strict();

/** Trimmed reason or null; refuses control characters (other than newline and tab). */
export function normalizeReason(reason: string | undefined): string | null {
  if (reason === undefined) return null;
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(reason)) {
    throw new ToolError('reason must be plain text without control characters.');
  }
  const trimmed = reason.trim();
  return trimmed === '' ? null : trimmed;
}

export function registerProcessRefundTool(server: McpServer, deps: ToolDeps): void {
  const { db, ledger, codec, clock } = deps;

  const askForApproval = async (
    ctx: ServerContext,
    state: ApprovalState,
    invoice: OwnedInvoice,
  ): Promise<InputRequiredResult> => {
    const customer = findCustomer(db, state.customerId);
    const customerName = customer ? `${customer.firstName} ${customer.lastName} (${customer.email})` : `customer`;
    return inputRequired({
      inputRequests: {
        [APPROVAL_INPUT_KEY]: inputRequired.elicit({
          mode: 'form',
          message: approvalMessage({
            customerName,
            invoiceId: invoice.invoiceId,
            date: invoice.date,
            amount: dollars(state.amountCents),
            reason: state.reason,
          }),
          requestedSchema: APPROVAL_REQUESTED_SCHEMA as never,
        }),
      },
      requestState: await codec.mint(state, ctx),
    });
  };

  const firstRound = async (
    ctx: ServerContext,
    customerId: number,
    invoiceId: number,
    reason: string | null,
  ): Promise<CallToolResult | InputRequiredResult> => {
    const invoice = findOwnedInvoice(db, customerId, invoiceId);
    if (!invoice) throw invoiceNotFound(invoiceId);
    const existing = ledger.findByInvoice(invoiceId);
    if (existing) {
      const { nonce: _nonce, ...refund } = existing;
      return alreadyRefundedOutcome(refund);
    }
    const amount = dollars(invoice.totalCents);
    if (!clientCanElicitForm(ctx, server)) {
      return outcome(
        'unavailable',
        invoiceId,
        amount,
        `This client cannot ask a person for approval (it does not support form elicitation), so invoice ${invoiceId} ` +
          `was not refunded. Nothing was changed.`,
        null,
      );
    }
    const now = clock();
    const state: ApprovalState = {
      v: 1,
      invoiceId,
      customerId,
      amountCents: invoice.totalCents,
      reason,
      nonce: randomUUID(),
      requestedAt: now.toISOString(),
      expiresAt: Math.floor(now.getTime() / 1000) + deps.approvalTtlSeconds,
    };
    return askForApproval(ctx, state, invoice);
  };

  const secondRound = async (
    ctx: ServerContext,
    customerId: number,
    invoiceId: number,
    rawState: unknown,
  ): Promise<CallToolResult | InputRequiredResult> => {
    const parsed = ApprovalStateSchema.safeParse(rawState);
    // The codec already verified signature, expiry bound and customer binding; these are belts.
    if (!parsed.success || parsed.data.customerId !== customerId) {
      throw new ToolError('The approval state sent with this request is not valid for this account. Nothing was changed.');
    }
    const state = parsed.data;
    if (state.invoiceId !== invoiceId) {
      throw new ToolError(
        `The approval sent with this request is for invoice ${state.invoiceId}, not invoice ${invoiceId}. Nothing was changed.`,
      );
    }
    const invoice = findOwnedInvoice(db, customerId, invoiceId);
    if (!invoice) throw invoiceNotFound(invoiceId);
    const amount = dollars(state.amountCents);

    const existing = ledger.findByInvoice(invoiceId);
    if (existing) {
      const { nonce, ...refund } = existing;
      return nonce === state.nonce ? refundedOutcome(refund, true) : alreadyRefundedOutcome(refund);
    }
    if (clock().getTime() / 1000 >= state.expiresAt) {
      return outcome(
        'expired',
        invoiceId,
        amount,
        `The approval for invoice ${invoiceId} expired before it was granted, so nothing was refunded. Ask again to start a new approval.`,
        null,
      );
    }

    const answer = inputResponse(ctx.mcpReq.inputResponses, APPROVAL_INPUT_KEY);
    if (answer.kind === 'missing') return askForApproval(ctx, state, invoice);
    if (answer.kind !== 'elicit') {
      throw new ToolError('The approval answer must be an elicitation result. Nothing was changed.');
    }
    if (answer.action === 'decline') {
      return outcome('declined', invoiceId, amount, `The refund of invoice ${invoiceId} was declined; nothing was refunded.`, null);
    }
    if (answer.action === 'cancel') {
      return outcome(
        'cancelled',
        invoiceId,
        amount,
        `The approval request for invoice ${invoiceId} was dismissed without a decision; nothing was refunded.`,
        null,
      );
    }
    const form = ApprovalAnswer.safeParse(answer.content ?? {});
    if (!form.success) {
      throw new ToolError(
        'The approval form was incomplete: `approve` (true or false) and a non-empty `approver` name are required. Nothing was changed.',
      );
    }
    if (!form.data.approve) {
      return outcome(
        'declined',
        invoiceId,
        amount,
        `The refund of invoice ${invoiceId} was not approved by ${form.data.approver}; nothing was refunded.`,
        null,
      );
    }
    const result = ledger.record({
      invoiceId,
      customerId,
      amountCents: state.amountCents,
      reason: state.reason,
      approvedBy: form.data.approver,
      note: form.data.note ? form.data.note : null,
      nonce: state.nonce,
      requestedAt: state.requestedAt,
    });
    switch (result.kind) {
      case 'recorded':
        return refundedOutcome(result.refund, false);
      case 'replayed':
        return refundedOutcome(result.refund, true);
      case 'already_refunded':
        return alreadyRefundedOutcome(result.refund);
      case 'not_found':
        throw invoiceNotFound(invoiceId);
      case 'amount_changed':
        throw new ToolError(
          `Invoice ${invoiceId} changed since the approval was requested (total now ${money(dollars(result.currentAmountCents))}); ` +
            'nothing was refunded. Ask for approval again.',
        );
    }
  };

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
      const state = ctx.mcpReq.requestState<unknown>();
      return state === undefined
        ? firstRound(ctx, customerId, input.invoice_id, reason)
        : secondRound(ctx, customerId, input.invoice_id, state);
    },
    deps,
  );
}
