/**
 * Credentials that verified (a bearer token, a signed cookie), by their exact text, until they expire: a client
 * sends the same one with every request, and checking its signature each time is most of the auth cost. Keyed by
 * the whole credential, signature included, so only a byte-identical copy of one that verified is served from
 * here; an entry is never used once `live` says it has expired. Bounded: past `maxEntries` the oldest entries go
 * first (a Map iterates in insertion order), and expired ones are dropped as met.
 */
export function createVerifiedCache<V>({
  live,
  maxEntries = 10_000,
  now = () => Date.now(),
}: {
  /** Whether the verified value may still be used at `nowMs`. */
  live: (value: V, nowMs: number) => boolean;
  maxEntries?: number;
  now?: () => number;
}) {
  const entries = new Map<string, V>();
  return {
    get(credential: string): V | undefined {
      const value = entries.get(credential);
      if (value === undefined) return undefined;
      if (live(value, now())) return value;
      entries.delete(credential);
      return undefined;
    },
    set(credential: string, value: V): void {
      if (!live(value, now())) return;
      entries.set(credential, value);
      if (entries.size <= maxEntries) return;
      for (const key of entries.keys()) {
        if (entries.size <= maxEntries) break;
        entries.delete(key);
      }
    },
    size: () => entries.size,
  };
}
