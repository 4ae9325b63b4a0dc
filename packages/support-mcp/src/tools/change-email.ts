import { defineTool, ToolError } from '@algorhythm/mcp-kit/tools';
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { runApprovalRounds, type ApprovalTool } from '../approvals/approval-rounds.ts';
import { newApprovalWindow } from '../approvals/approval-state.ts';
import { normalizeReason, reasonSchema } from '../approvals/reason.ts';
import { requireCustomer } from '../customers/customer-binding.ts';
import { emailAddressSchema, MAX_EMAIL_LENGTH, normalizeEmail, sameAddress } from '../customers/email-address.ts';
import {
  EMAIL_CHANGE_REQUESTED_SCHEMA,
  EmailChangeAnswer,
  emailChangeMessage,
  emailChangeSummary,
  INCOMPLETE_EMAIL_FORM,
  type EmailChangeFacts,
} from '../customers/email-change-request.ts';
import { EmailChangeStateSchema, type EmailChangeState } from '../customers/email-change-state.ts';
import type { ToolDeps } from './deps.ts';
import { changedOutcome, EmailChangeOutcome, emailOutcome } from './email-change-outcome.ts';

export const ChangeEmailInput = z
  .object({
    new_email: emailAddressSchema().describe(
      `The new email address for the signed-in customer's own account (at most ${MAX_EMAIL_LENGTH} characters)`,
    ),
    reason: reasonSchema('the email change'),
  })
  .strict();

type EmailAnswer = z.infer<typeof EmailChangeAnswer>;

const customerGone = () => new ToolError('The customer bound to this connection no longer exists.');

/** `change_email` for one call: its checks and outcomes around the shared approval rounds. */
function emailApproval(
  deps: ToolDeps,
  customerId: number,
  newEmail: string,
  reason: string | null,
): ApprovalTool<EmailChangeState, EmailAnswer> {
  const { store } = deps;
  const facts = async (state: EmailChangeState): Promise<EmailChangeFacts> => {
    const customer = await store.findCustomer(state.customerId);
    if (!customer) throw customerGone();
    return {
      customerId: state.customerId,
      customerName: `${customer.firstName} ${customer.lastName}`,
      oldEmail: state.oldEmail,
      newEmail: state.newEmail,
      reason: state.reason,
    };
  };

  return {
    start: async () => {
      const customer = await store.findCustomer(customerId);
      if (!customer) throw customerGone();
      if (sameAddress(customer.email, newEmail)) {
        const message = `The account email is already ${customer.email}; nothing was changed.`;
        return { kind: 'done', result: emailOutcome('unchanged', newEmail, message) };
      }
      const window = newApprovalWindow(customerId, deps.clock, deps.approvalTtlSeconds);
      return { kind: 'ask', state: { ...window, kind: 'email_change', oldEmail: customer.email, newEmail, reason } };
    },

    parseState: (raw) => {
      const parsed = EmailChangeStateSchema.safeParse(raw);
      return parsed.success ? parsed.data : undefined;
    },

    resume: async (state) => {
      if (state.newEmail !== newEmail) {
        throw new ToolError(
          `The approval sent with this request is for changing the email to ${state.newEmail}, not to ${newEmail}. Nothing was changed.`,
        );
      }
      const done = await store.findEmailChange(customerId, state.nonce);
      return done ? changedOutcome(done, true) : undefined;
    },

    prompt: async (state) => {
      const f = await facts(state);
      return { message: emailChangeMessage(f), requestedSchema: EMAIL_CHANGE_REQUESTED_SCHEMA, summary: emailChangeSummary(f) };
    },

    form: EmailChangeAnswer,
    incompleteForm: INCOMPLETE_EMAIL_FORM,

    unavailable: (state) =>
      emailOutcome(
        'unavailable',
        state.newEmail,
        'This client cannot ask a person to confirm (it does not support form elicitation), so the email was not changed.',
      ),

    expired: (state) =>
      emailOutcome(
        'expired',
        state.newEmail,
        `The confirmation of the change to ${state.newEmail} expired before it was given, so nothing was changed. Ask again to start a new one.`,
      ),

    refused: (state, answer) =>
      answer === 'declined'
        ? emailOutcome('declined', state.newEmail, `The change of the account email to ${state.newEmail} was declined; nothing was changed.`)
        : emailOutcome(
            'cancelled',
            state.newEmail,
            `The confirmation request for ${state.newEmail} was dismissed without a decision; nothing was changed.`,
          ),

    accepted: async (state, form, approval) => {
      if (!form.confirm) {
        return emailOutcome(
          'declined',
          state.newEmail,
          `The change of the account email to ${state.newEmail} was not confirmed (answered by ${approval.approvedBy}); nothing was changed.`,
        );
      }
      const result = await store.recordEmailChange({ ...approval, customerId, oldEmail: state.oldEmail, newEmail: state.newEmail });
      switch (result.kind) {
        case 'changed':
          return changedOutcome(result.change, false);
        case 'replayed':
          return changedOutcome(result.change, true);
        case 'unchanged':
          return emailOutcome('unchanged', state.newEmail, `The account email is already ${result.currentEmail}; nothing was changed.`);
        case 'changed_since':
          throw new ToolError(
            `The account email changed since this change was requested (it is no longer ${state.oldEmail}); nothing was changed. ` +
              'Ask again to start a new confirmation.',
          );
        case 'not_found':
          throw customerGone();
      }
    },
  };
}

export function registerChangeEmailTool(server: McpServer, deps: ToolDeps): void {
  defineTool(
    server,
    {
      name: 'change_email',
      title: 'Change account email',
      description:
        'Changes the signed-in customer’s own account email address, after a store admin confirms it. Takes the ' +
        'new address (and optionally why); the customer is fixed by the connection, so only their own account ' +
        'can change. The server checks the address and that it differs from the current one, then asks a person ' +
        'to confirm (the client shows a form); the email changes only when they confirm. The result status says ' +
        'what happened: changed, unchanged, declined, cancelled, expired or unavailable.',
      inputSchema: ChangeEmailInput,
      outputSchema: EmailChangeOutcome,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    async (input, ctx) => {
      const customerId = requireCustomer(deps.resolveCustomer, ctx);
      const newEmail = normalizeEmail(input.new_email);
      const reason = normalizeReason(input.reason);
      return runApprovalRounds(ctx, customerId, emailApproval(deps, customerId, newEmail, reason), {
        server,
        codec: deps.codec,
        clock: deps.clock,
      });
    },
    deps,
  );
}
