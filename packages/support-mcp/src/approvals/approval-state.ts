import { randomUUID } from 'node:crypto';
import { createRequestStateCodec, type RequestStateCodec } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { CustomerResolver } from '../customers/customer-binding.ts';

/**
 * What every approval seals into `requestState`, whatever it approves. The codec signs but does not
 * encrypt, so the client can read it: nothing secret goes in. `kind` tells the approvals apart (a refund
 * state presented to `change_email` does not parse there); `expiresAt` is our own approval window,
 * checked against the injected clock so an expired approval gets the `expired` outcome.
 */
export const ApprovalStateBase = z.object({
  v: z.literal(1),
  customerId: z.number().int().positive(),
  /** Identifies one approval request; a replay of the same approved round carries the same nonce. */
  nonce: z.string().min(16),
  requestedAt: z.string(),
  expiresAt: z.number().int(),
});
export type ApprovalStateBase = z.infer<typeof ApprovalStateBase>;

/** Any sealed approval: the base fields plus its kind's own. The codec's payload type. */
export type SealedApproval = ApprovalStateBase & { kind?: string; [field: string]: unknown };

/** After our approval window, states still verify this long, so the client hears `expired` rather than -32602. */
export const EXPIRED_GRACE_SECONDS = 7 * 24 * 3600;

/**
 * One codec for every approval the server asks for (the server has one `requestState.verify` hook).
 * It binds each state to the connection's customer: a state minted for customer B does not verify on a
 * request authenticated as customer A (the SDK answers -32602 before our handler runs).
 */
export function createApprovalStateCodec({
  key,
  approvalTtlSeconds,
  resolveCustomer,
}: {
  key: string;
  approvalTtlSeconds: number;
  resolveCustomer: CustomerResolver;
}): RequestStateCodec<SealedApproval> {
  return createRequestStateCodec<SealedApproval>({
    key,
    ttlSeconds: approvalTtlSeconds + EXPIRED_GRACE_SECONDS,
    // The label dates from when refunds were the only approval; kept so states pending across an upgrade verify.
    bind: (ctx) => `algorhythm.support.process_refund\0customer:${resolveCustomer(ctx) ?? 'none'}`,
  });
}

/** The base fields of a new approval request: a fresh nonce and the window starting now. */
export function newApprovalWindow(customerId: number, clock: () => Date, ttlSeconds: number): ApprovalStateBase {
  const now = clock();
  return {
    v: 1,
    customerId,
    nonce: randomUUID(),
    requestedAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + ttlSeconds,
  };
}

export const isExpired = (state: ApprovalStateBase, clock: () => Date) => clock().getTime() / 1000 >= state.expiresAt;
