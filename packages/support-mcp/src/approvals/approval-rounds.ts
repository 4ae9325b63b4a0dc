import { ToolError } from '@algorhythm/mcp-kit/tools';
import {
  inputRequired,
  type CallToolResult,
  type InputRequiredResult,
  type McpServer,
  type RequestStateCodec,
  type ServerContext,
} from '@modelcontextprotocol/server';
import type { z } from 'zod';
import { answeredBy, readApprovalAnswer } from './approval-answer.ts';
import { APPROVAL_INPUT_KEY, approvalElicitation, clientCanElicitForm, type ApprovalPrompt } from './approval-request.ts';
import type { ApprovalRecordFields } from '../db/write-once.ts';
import { isExpired, type ApprovalStateBase, type SealedApproval } from './approval-state.ts';

type Result = CallToolResult | InputRequiredResult;
/** Every approval-gated tool seals the customer's reason and lets the approver leave a note. */
type ApprovedState = ApprovalStateBase & { reason: string | null };
type ApprovalContent = { note?: string | undefined };
type Async<T> = T | Promise<T>;

/** One tool whose effect needs a person's approval: its own checks and outcomes, around the shared rounds. */
export type ApprovalTool<S extends ApprovedState, C extends ApprovalContent> = {
  /** First round: the tool's checks. A result ends the call (nothing to ask); a state is what to ask about. */
  start: () => Async<{ kind: 'done'; result: CallToolResult } | { kind: 'ask'; state: S }>;
  /** A verified state as this tool's kind, or undefined (another tool's approval). */
  parseState: (raw: unknown) => S | undefined;
  /** Second round, before the answer is read: the arguments still match, the effect is not done already. */
  resume: (state: S) => Async<CallToolResult | undefined>;
  /** The message, form and summary shown to the person. */
  prompt: (state: S) => Async<ApprovalPrompt>;
  /** The zod twin of the form (validates accepted content) and the error when it does not fit. */
  form: z.ZodType<C>;
  incompleteForm: string;
  unavailable: (state: S) => CallToolResult;
  expired: (state: S) => CallToolResult;
  refused: (state: S, answer: 'declined' | 'cancelled') => CallToolResult;
  /** The person accepted; `approval` is what the ledger keeps of it (who the client says answered, their note). */
  accepted: (state: S, content: C, approval: ApprovalRecordFields) => Async<CallToolResult>;
};

export type ApprovalRuntime = {
  server: McpServer;
  codec: RequestStateCodec<SealedApproval>;
  clock: () => Date;
};

/**
 * The multi-round-trip skeleton (2026-07-28) shared by every approval-gated tool. First round: the tool's
 * checks, then `input_required` with a form elicitation and the sealed state. Second round (same call with
 * `inputResponses` and the state, maybe in another process): the state's kind and customer, the tool's
 * re-checks (replays answer here), the window, then the answer. On a 2025-era connection the SDK's shim
 * turns the same `input_required` into a real `elicitation/create` and re-enters here with the answer.
 */
export async function runApprovalRounds<S extends ApprovedState, C extends ApprovalContent>(
  ctx: ServerContext,
  customerId: number,
  tool: ApprovalTool<S, C>,
  { server, codec, clock }: ApprovalRuntime,
): Promise<Result> {
  const ask = async (state: S): Promise<InputRequiredResult> =>
    inputRequired({
      inputRequests: { [APPROVAL_INPUT_KEY]: approvalElicitation(await tool.prompt(state)) },
      requestState: await codec.mint(state as unknown as SealedApproval, ctx),
    });

  const raw = ctx.mcpReq.requestState<unknown>();
  if (raw === undefined) {
    const started = await tool.start();
    if (started.kind === 'done') return started.result;
    return clientCanElicitForm(ctx, server) ? ask(started.state) : tool.unavailable(started.state);
  }

  // The codec already verified signature, expiry bound and customer binding; these are belts.
  const state = tool.parseState(raw);
  if (!state || state.customerId !== customerId) {
    throw new ToolError('The approval state sent with this request is not valid for this request on this account. Nothing was changed.');
  }
  const settled = await tool.resume(state);
  if (settled) return settled;
  if (isExpired(state, clock)) return tool.expired(state);

  const answer = readApprovalAnswer(ctx, tool.form, tool.incompleteForm);
  switch (answer.kind) {
    case 'missing':
      return ask(state);
    case 'declined':
    case 'cancelled':
      return tool.refused(state, answer.kind);
    case 'accepted':
      return tool.accepted(state, answer.content, {
        reason: state.reason,
        approvedBy: answeredBy(ctx),
        note: answer.content.note ? answer.content.note : null,
        nonce: state.nonce,
        requestedAt: state.requestedAt,
      });
  }
}
