import { verifyCustomerToken } from '@algorhythm/support-mcp';
import { describe, expect, it } from 'vitest';
import { createCustomerTokens } from './customer-tokens.ts';

const secret = 'customer-tokens-test-secret-0123456789abcdef';

describe('createCustomerTokens', () => {
  it("mints one token per customer, reuses it until close to its expiry, and binds each customer's own id", async () => {
    let now = Date.parse('2026-12-01T00:00:00Z');
    const tokens = createCustomerTokens({ secret, ttlSeconds: 300, renewBeforeSeconds: 60, now: () => now });
    const first = await tokens.tokenFor(1);
    expect(await tokens.tokenFor(1)).toBe(first);
    const other = await tokens.tokenFor(2);
    expect(other).not.toBe(first);
    expect((await verifyCustomerToken(first, secret, { now: new Date(now) })).customerId).toBe(1);
    expect((await verifyCustomerToken(other, secret, { now: new Date(now) })).customerId).toBe(2);
    now += 239_000;
    expect(await tokens.tokenFor(1)).toBe(first);
    now += 2_000; // less than 60 s of validity left: a fresh token
    const renewed = await tokens.tokenFor(1);
    expect(renewed).not.toBe(first);
    expect(await verifyCustomerToken(renewed, secret, { now: new Date(now) })).toMatchObject({ customerId: 1 });
    expect(tokens.prune()).toBe(1); // customer 2's token is past its renewal time
  });
});
