import { ANSWERED_BY_META_KEY } from '@algorhythm/mcp-kit/meta-keys';
import { ToolError } from '@algorhythm/mcp-kit/tools';
import { inputResponse, type ServerContext } from '@modelcontextprotocol/server';
import type { z } from 'zod';
import { APPROVAL_INPUT_KEY } from './approval-request.ts';

/** Recorded as the approver when the client does not say who answered (Claude Desktop, the Inspector, 2025-era elicitation). */
export const CLIENT_USER_LABEL = 'MCP client user';
export const MAX_ANSWERED_BY_LENGTH = 200;

/** The person's answer to an approval elicitation, read from the retried request. */
export type ApprovalAnswer<C> =
  | { kind: 'missing' }
  | { kind: 'declined' }
  | { kind: 'cancelled' }
  | { kind: 'accepted'; content: C };

/**
 * Reads `inputResponses.approval`. Accepted content arrives from the client and is untrusted: it is
 * validated against `form` (the zod twin of the requested schema); fields the form does not have are
 * dropped. An invalid answer is a `ToolError` worded by `incomplete`; the sealed state stays usable.
 */
export function readApprovalAnswer<C>(ctx: ServerContext, form: z.ZodType<C>, incomplete: string): ApprovalAnswer<C> {
  const answer = inputResponse(ctx.mcpReq.inputResponses, APPROVAL_INPUT_KEY);
  if (answer.kind === 'missing') return { kind: 'missing' };
  if (answer.kind !== 'elicit') {
    throw new ToolError('The approval answer must be an elicitation result. Nothing was changed.');
  }
  if (answer.action === 'decline') return { kind: 'declined' };
  if (answer.action === 'cancel') return { kind: 'cancelled' };
  const content = form.safeParse(answer.content ?? {});
  if (!content.success) throw new ToolError(incomplete);
  return { kind: 'accepted', content: content.data };
}

/**
 * Who answered the approval: `_meta["io.algorhythm/answered-by"]` of the retried `tools/call` (the
 * agent host sets it to the admin it authenticated), else {@link CLIENT_USER_LABEL}. A value that is
 * present but not a plain name (not a string, blank, over 200 characters, control characters) is
 * refused rather than replaced, so an approval is never recorded under a name nobody gave.
 */
export function answeredBy(ctx: ServerContext): string {
  const value = ctx.mcpReq._meta?.[ANSWERED_BY_META_KEY];
  if (value === undefined) return CLIENT_USER_LABEL;
  const name = typeof value === 'string' ? value.trim() : '';
  if (name === '' || name.length > MAX_ANSWERED_BY_LENGTH || /[\u0000-\u001f\u007f]/.test(name)) {
    throw new ToolError(
      `The client said who answered the approval (_meta "${ANSWERED_BY_META_KEY}"), but not as a name of 1 to ` +
        `${MAX_ANSWERED_BY_LENGTH} characters. Nothing was changed.`,
    );
  }
  return name;
}
