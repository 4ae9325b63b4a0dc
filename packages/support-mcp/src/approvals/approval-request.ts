import { SUMMARY_META_KEY } from '@algorhythm/mcp-kit/meta-keys';
import {
  CLIENT_CAPABILITIES_META_KEY,
  inputRequired,
  type ClientCapabilities,
  type ElicitRequestFormParams,
  type InputRequest,
  type McpServer,
  type ServerContext,
} from '@modelcontextprotocol/server';

/** The `inputRequests` key of every approval elicitation; the client answers under the same key. */
export const APPROVAL_INPUT_KEY = 'approval';

/** A flat form of the MCP spec's restricted elicitation schema (wire JSON Schema). */
export type ApprovalForm = {
  type: 'object';
  properties: Record<string, Record<string, unknown>>;
  required?: readonly string[];
};

/**
 * Structured details for the person deciding, sent as `_meta[SUMMARY_META_KEY]` on the elicitation: a
 * title, label/value facts, and a key that is equal for two requests that ask the same thing (the agent
 * host keeps one pending approval per customer + tool + key).
 */
export type ApprovalSummary = { title: string; key: string; facts: Array<{ label: string; value: string }> };

/** What one approval asks: the text every client shows, the form, and the summary for clients that read it. */
export type ApprovalPrompt = { message: string; requestedSchema: ApprovalForm; summary: ApprovalSummary };

/**
 * The embedded `elicitation/create` request. `_meta` rides in its params: the 2026-07-28 codec sends it
 * inside `inputRequests`, and the SDK's 2025-era shim sends the same params as a real `elicitation/create`.
 */
export function approvalElicitation({ message, requestedSchema, summary }: ApprovalPrompt): InputRequest {
  return inputRequired.elicit({
    mode: 'form',
    message,
    requestedSchema: requestedSchema as ElicitRequestFormParams['requestedSchema'],
    _meta: { [SUMMARY_META_KEY]: summary },
  });
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
