// Test helpers shared by the stdio and HTTP end-to-end suites.
import { ANSWERED_BY_META_KEY } from '@algorhythm/mcp-kit/meta-keys';
import type { CallToolResult, Client, InputRequiredResult } from '@modelcontextprotocol/client';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import type { ServerContext } from '@modelcontextprotocol/server';
import type { CustomerResolver } from '../customers/customer-binding.ts';
import { createApprovalStateCodec, type ApprovalState } from '../refunds/approval-state.ts';
import type { RefundOutcome } from '../tools/refund-outcome.ts';
import { callManual, isInputRequired } from './clients.ts';

/** An embedded approval elicitation as the client received it. */
export type ApprovalRequest = {
  method: string;
  params: {
    mode?: string;
    message: string;
    requestedSchema: { properties: Record<string, unknown>; required?: string[] };
    _meta?: Record<string, unknown>;
  };
};

/** The `_meta` a client (the agent host) sends with the retried call to say who answered. */
export const answeredBy = (name: string) => ({ [ANSWERED_BY_META_KEY]: name });

/** First round of an approval-gated tool on a 2026-07-28 client: asserts the approval request, returns it. */
export async function firstApprovalRound(client: Client, tool: string, args: Record<string, unknown>) {
  const result = await callManual(client, tool, args);
  if (!isInputRequired(result)) throw new Error(`expected input_required, got ${JSON.stringify(result)}`);
  const request = result.inputRequests?.['approval'] as ApprovalRequest;
  expect(request.method).toBe('elicitation/create');
  expect(typeof result.requestState).toBe('string');
  return { result, request, requestState: result.requestState as string };
}

/** First round of `process_refund` on a 2026-07-28 client. */
export const firstRound = (client: Client, invoiceId: number, reason?: string) =>
  firstApprovalRound(client, 'process_refund', reason === undefined ? { invoice_id: invoiceId } : { invoice_id: invoiceId, reason });

/**
 * Second round: the same `tools/call` with the answer and the sealed state, and, when `approver` is given,
 * `_meta` saying who answered (what the agent host sends).
 */
export async function secondRound(
  client: Client,
  invoiceId: number,
  requestState: string,
  answer: { action: 'accept' | 'decline' | 'cancel'; content?: Record<string, unknown> },
  reason?: string,
  approver?: string,
): Promise<CallToolResult | InputRequiredResult> {
  const args = reason === undefined ? { invoice_id: invoiceId } : { invoice_id: invoiceId, reason };
  return callManual(client, 'process_refund', args, {
    inputResponses: { approval: answer },
    requestState,
    ...(approver === undefined ? {} : { _meta: answeredBy(approver) }),
  });
}

export function outcomeOf(result: CallToolResult | InputRequiredResult): RefundOutcome {
  if (isInputRequired(result)) throw new Error(`expected a final result, got input_required`);
  expect(result.isError ?? false, JSON.stringify(result.content)).toBe(false);
  return result.structuredContent as RefundOutcome;
}

export function errorTextOf(result: CallToolResult | InputRequiredResult): string {
  if (isInputRequired(result)) throw new Error('expected an error result, got input_required');
  expect(result.isError).toBe(true);
  return result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
}

/** The request-state key a zero-config server persisted in the working database. */
export function persistedStateKey(dbPath: string): string {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare(`SELECT value FROM algorhythm_secret WHERE name = 'request_state_key'`).pluck().get() as string;
  } finally {
    db.close();
  }
}

/**
 * Seals a state (of any approval kind) with the server's own key, as a server would have done long ago:
 * used to present an approval whose window has passed to a spawned server whose clock we do not control.
 */
export async function sealState(
  key: string,
  payload: ApprovalState,
  resolveCustomer: CustomerResolver,
  ctx: Partial<ServerContext> = {},
): Promise<string> {
  const codec = createApprovalStateCodec({ key, approvalTtlSeconds: 86_400, resolveCustomer });
  return codec.mint(payload, ctx as ServerContext);
}

/** Changes the payload of a sealed state without re-signing it (what a tampering client can do). */
export function tamperState(state: string, change: (payload: Record<string, unknown>) => void): string {
  const [version, body, mac] = state.split('.');
  const envelope = JSON.parse(Buffer.from(body!, 'base64url').toString('utf8')) as { p: Record<string, unknown> };
  change(envelope.p);
  return [version, Buffer.from(JSON.stringify(envelope)).toString('base64url'), mac].join('.');
}

export async function expectInvalidState(promise: Promise<unknown>) {
  await expect(promise).rejects.toMatchObject({ code: -32602, message: expect.stringMatching(/Invalid or expired requestState/) });
}

/** Resolves once `count` parties have arrived: used to make two approvals overlap for sure. */
export function barrier(count: number) {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => (release = resolve));
  return async () => {
    arrived += 1;
    if (arrived >= count) release();
    await all;
  };
}
