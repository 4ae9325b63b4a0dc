import { describe, expect, it } from 'vitest';
import type { AuthInfo } from '@modelcontextprotocol/server';
import { createVerifiedTokenCache } from './verified-token-cache.ts';

const info = (customerId: number, expiresAt: number): AuthInfo => ({ token: `t${customerId}`, clientId: `customer:${customerId}`, scopes: [], expiresAt, extra: { customerId } });

describe('createVerifiedTokenCache', () => {
  it('serves a verified token until its expiry, never at or after it', () => {
    let now = 1_000_000;
    const cache = createVerifiedTokenCache({ now: () => now });
    cache.set('a', info(1, now / 1000 + 60));
    expect(cache.get('a')?.extra).toEqual({ customerId: 1 });
    expect(cache.get('a ')).toBeUndefined();
    now += 60_000;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size()).toBe(0);
  });

  it('does not keep a token that has already expired', () => {
    const cache = createVerifiedTokenCache({ now: () => 5_000 });
    cache.set('old', info(1, 4));
    expect(cache.size()).toBe(0);
  });

  it('stays within its bound, dropping the oldest entries first', () => {
    const cache = createVerifiedTokenCache({ maxEntries: 3, now: () => 0 });
    for (let i = 1; i <= 5; i++) cache.set(`t${i}`, info(i, 100));
    expect(cache.size()).toBe(3);
    expect(cache.get('t1')).toBeUndefined();
    expect(cache.get('t2')).toBeUndefined();
    expect(cache.get('t5')?.extra).toEqual({ customerId: 5 });
  });
});
