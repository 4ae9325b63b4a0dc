import { createVerifiedCache } from '@algorhythm/mcp-kit/verified-cache';
import type { AuthInfo } from '@modelcontextprotocol/server';

export const DEFAULT_MAX_CACHED_TOKENS = 10_000;

/**
 * Verified bearer tokens (`createVerifiedCache`): a host sends the same short-lived token with every call of a
 * customer's turn, and verifying its HS256 signature and looking the customer up again each time is most of the
 * auth cost. An entry is never used at or after its `exp`.
 */
export function createVerifiedTokenCache({
  maxEntries = DEFAULT_MAX_CACHED_TOKENS,
  now = () => Date.now(),
}: { maxEntries?: number; now?: () => number } = {}) {
  return createVerifiedCache<AuthInfo>({
    live: (info, nowMs) => info.expiresAt !== undefined && info.expiresAt * 1000 > nowMs,
    maxEntries,
    now,
  });
}
