import { createRequestStateCodec, type RequestStateCodec } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { CustomerResolver } from '../customers/customer-binding.ts';

/**
 * What the first round of `process_refund` seals into `requestState`. The codec signs but does not
 * encrypt, so the client can read this: nothing secret goes in. `expiresAt` is our own approval
 * window (checked against the injected clock so an expired approval gets the `expired` outcome);
 * the codec's own TTL is longer and only bounds how long any state verifies at all.
 */
export const ApprovalStateSchema = z.object({
  v: z.literal(1),
  invoiceId: z.number().int().positive(),
  customerId: z.number().int().positive(),
  amountCents: z.number().int().nonnegative(),
  reason: z.string().nullable(),
  nonce: z.string().min(16),
  requestedAt: z.string(),
  expiresAt: z.number().int(),
});
export type ApprovalState = z.infer<typeof ApprovalStateSchema>;

/** After our approval window, states still verify this long, so the client hears `expired` rather than -32602. */
export const EXPIRED_GRACE_SECONDS = 7 * 24 * 3600;

export function createApprovalStateCodec({
  key,
  approvalTtlSeconds,
  resolveCustomer,
}: {
  key: string;
  approvalTtlSeconds: number;
  resolveCustomer: CustomerResolver;
}): RequestStateCodec<ApprovalState> {
  return createRequestStateCodec<ApprovalState>({
    key,
    ttlSeconds: approvalTtlSeconds + EXPIRED_GRACE_SECONDS,
    // Binds the state to the connection's customer: a state minted for customer B does not verify
    // on a request authenticated as customer A (the SDK answers -32602 before our handler runs).
    bind: (ctx) => `algorhythm.support.process_refund\0customer:${resolveCustomer(ctx) ?? 'none'}`,
  });
}
