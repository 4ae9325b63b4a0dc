import type { AuthInfo } from '@modelcontextprotocol/server';

export const DEFAULT_MAX_CACHED_TOKENS = 10_000;

/**
 * Verified bearer tokens, by their exact text, until they expire. A host sends the same short-lived token with
 * every call of a customer's turn; verifying its HS256 signature (WebCrypto) and looking the customer up again each
 * time is most of the auth cost. Keyed by the whole token, signature included, so only a byte-identical copy of a
 * token that verified is ever served from here; an entry is never used at or after its `exp`. Bounded: past
 * `maxEntries` the oldest entries go first (a Map iterates in insertion order), and expired ones are dropped as met.
 */
export function createVerifiedTokenCache({
  maxEntries = DEFAULT_MAX_CACHED_TOKENS,
  now = () => Date.now(),
}: { maxEntries?: number; now?: () => number } = {}) {
  const entries = new Map<string, AuthInfo>();
  const live = (info: AuthInfo) => info.expiresAt !== undefined && info.expiresAt * 1000 > now();

  return {
    get(token: string): AuthInfo | undefined {
      const info = entries.get(token);
      if (!info) return undefined;
      if (live(info)) return info;
      entries.delete(token);
      return undefined;
    },
    set(token: string, info: AuthInfo): void {
      if (!live(info)) return;
      entries.set(token, info);
      if (entries.size <= maxEntries) return;
      for (const key of entries.keys()) {
        if (entries.size <= maxEntries) break;
        entries.delete(key);
      }
    },
    size: () => entries.size,
  };
}
