import { CLIENT_CAPABILITIES_META_KEY, type ClientCapabilities, type McpServer, type ServerContext } from '@modelcontextprotocol/server';
import { z } from 'zod';

/** The `inputRequests` key of the approval elicitation; the client answers under the same key. */
export const APPROVAL_INPUT_KEY = 'approval';

/** The flat form the approver fills in (wire JSON Schema of the elicitation). */
export const APPROVAL_REQUESTED_SCHEMA = {
  type: 'object',
  properties: {
    approve: {
      type: 'boolean',
      title: 'Approve refund',
      description: 'Tick to refund the full invoice amount; leave unticked to refuse.',
      default: false,
    },
    approver: {
      type: 'string',
      title: 'Approver',
      description: 'Your name, recorded as the approver.',
      minLength: 1,
      maxLength: 200,
    },
    note: {
      type: 'string',
      title: 'Note',
      description: 'Optional note kept with the refund record.',
      maxLength: 1000,
    },
  },
  required: ['approve', 'approver'],
} as const;

/** The accepted form content, validated: it arrives from the client and is untrusted. */
export const ApprovalAnswer = z.object({
  approve: z.boolean(),
  approver: z.string().trim().min(1).max(200),
  note: z.string().trim().max(1000).optional(),
});

export function approvalMessage(args: {
  customerName: string;
  invoiceId: number;
  date: string;
  amount: number;
  reason: string | null;
}): string {
  return (
    `Refund approval needed. Customer: ${args.customerName}. Invoice ${args.invoiceId} dated ${args.date}, ` +
    `amount $${args.amount.toFixed(2)} (full invoice total). Reason given: ${args.reason ? `"${args.reason}"` : 'none'}. ` +
    `Approve this refund?`
  );
}

/**
 * Whether the client that sent this request can show a form to a person. 2026-07-28 requests carry
 * their capabilities in the per-request envelope; 2025-era connections declared them at initialize.
 * A bare `elicitation: {}` means form mode (the 2025 meaning). Checked before asking, so a client
 * that cannot ask gets the `unavailable` outcome instead of the SDK's capability error.
 */
export function clientCanElicitForm(ctx: ServerContext, server: McpServer): boolean {
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  const capabilities = (
    envelope ? envelope[CLIENT_CAPABILITIES_META_KEY] : server.server.getClientCapabilities()
  ) as ClientCapabilities | undefined;
  const elicitation = capabilities?.elicitation as Record<string, unknown> | undefined;
  if (!elicitation) return false;
  return elicitation['form'] !== undefined || elicitation['url'] === undefined;
}
