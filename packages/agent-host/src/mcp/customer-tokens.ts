import { mintCustomerToken } from '@algorhythm/support-mcp';

/**
 * The bearer token of each customer, minted once and sent with every call until it is close to its expiry
 * (then a fresh one). The support service caches a token it verified until that expiry, so a token reused
 * is also a signature the service does not check again. Bounded by the store's customers (59 in Chinook).
 */
export function createCustomerTokens({
  secret,
  ttlSeconds = 300,
  renewBeforeSeconds = 60,
  now = () => Date.now(),
}: {
  secret: string;
  ttlSeconds?: number;
  renewBeforeSeconds?: number;
  now?: () => number;
}) {
  const tokens = new Map<number, { token: Promise<string>; renewAt: number }>();
  return {
    tokenFor(customerId: number): Promise<string> {
      const current = tokens.get(customerId);
      if (current && now() < current.renewAt) return current.token;
      const token = mintCustomerToken({ customerId, secret, ttlSeconds, now: new Date(now()) });
      tokens.set(customerId, { token, renewAt: now() + (ttlSeconds - renewBeforeSeconds) * 1000 });
      token.catch(() => tokens.delete(customerId));
      return token;
    },
    /** Forgets tokens past their renewal time (the reaper calls it). */
    prune(): number {
      let pruned = 0;
      for (const [customerId, entry] of tokens) {
        if (now() >= entry.renewAt) {
          tokens.delete(customerId);
          pruned++;
        }
      }
      return pruned;
    },
  };
}
