import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createVerifiedSessionCache, readCustomerId, SESSION_COOKIE, startSession, verifiedSessionCacheOf, type SessionOptions } from './customer-session.ts';

function app(options: SessionOptions) {
  const hono = new Hono();
  hono.post('/login/:id', async (c) => {
    await startSession(c, options, Number(c.req.param('id')));
    return c.text('ok');
  });
  hono.get('/me', async (c) => c.json({ customerId: (await readCustomerId(c, options)) ?? null }));
  return hono;
}

async function signIn(hono: Hono, id: number): Promise<string> {
  const response = await hono.request(`/login/${id}`, { method: 'POST' });
  return response.headers.getSetCookie()[0]!.split(';')[0]!;
}

const me = async (hono: Hono, cookie: string) => ((await (await hono.request('/me', { headers: { cookie } })).json()) as { customerId: number | null }).customerId;

describe('verified session cookies', () => {
  it('reads the same customer from the cache as from the signature, and caches only cookies that verified', async () => {
    const options = { secret: 'test-secret-0123456789-abcdefghijkl', secure: false };
    const hono = app(options);
    const cookie = await signIn(hono, 16);
    expect(await me(hono, cookie)).toBe(16);
    expect(verifiedSessionCacheOf(options).size()).toBe(1);
    expect(await me(hono, cookie)).toBe(16);

    // A tampered value or signature never verifies and is never cached.
    const [name, value] = cookie.split('=') as [string, string];
    const decoded = decodeURIComponent(value);
    const forged = `${name}=${encodeURIComponent(decoded.replace(/^16\./, '17.'))}`;
    expect(await me(hono, forged)).toBeNull();
    expect(await me(hono, `${SESSION_COOKIE}=garbage`)).toBeNull();
    expect(verifiedSessionCacheOf(options).size()).toBe(1);

    // Another secret has its own cache: a cookie signed with the first is not accepted.
    const other = { secret: 'another-secret-0123456789-abcdefghij', secure: false };
    expect(await me(app(other), cookie)).toBeNull();
    expect(verifiedSessionCacheOf(other).size()).toBe(0);
  });

  it('stays bounded and never serves an entry past its expiry', () => {
    let now = 1_000_000;
    const cache = createVerifiedSessionCache({ maxEntries: 3, now: () => now });
    for (let i = 0; i < 10; i++) cache.set(`c${i}`, { customerId: i, expiresAt: 2_000 });
    expect(cache.size()).toBe(3);
    expect(cache.get('c0')).toBeUndefined();
    expect(cache.get('c9')?.customerId).toBe(9);
    now = 2_000_001;
    expect(cache.get('c9')).toBeUndefined();
    cache.set('late', { customerId: 1, expiresAt: 1_999 });
    expect(cache.get('late')).toBeUndefined();
  });
});
