// A store's backend signs a short-lived token; the host verifies it against the store's JWKS (a real HTTP
// server on 127.0.0.1 here) and signs that customer in. Anything wrong: 401, no session, nothing stored.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHost } from '../compose.ts';
import { makeDataDir, startTestHost, TestClient } from '../testing/host-harness.ts';

const ISSUER = 'https://shop.example';
const AUDIENCE = 'algorhythm-chat';

let jwks: Server;
let host: RunningHost;
let data: ReturnType<typeof makeDataDir>;
let storeKey: CryptoKey;
let strangerKey: CryptoKey;

function token(
  claims: Record<string, unknown>,
  options: { key?: CryptoKey; kid?: string; audience?: string; expires?: string | number; jti?: string | null } = {},
) {
  const jwt = new SignJWT(claims);
  if (options.jti !== null) jwt.setJti(options.jti ?? randomUUID());
  return jwt
    .setProtectedHeader({ alg: 'ES256', kid: options.kid ?? 'store-1' })
    .setIssuer(ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expires ?? '5m')
    .sign(options.key ?? storeKey);
}

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  storeKey = pair.privateKey;
  strangerKey = (await generateKeyPair('ES256')).privateKey;
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'store-1', alg: 'ES256', use: 'sig' };
  jwks = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] })));
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  data = makeDataDir();
  host = await startTestHost(data.dir, {
    CUSTOMER_AUTH: 'store-token',
    STORE_JWKS_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`,
    STORE_TOKEN_ISSUER: ISSUER,
    STORE_TOKEN_AUDIENCE: AUDIENCE,
    LIMIT_SIGNINS_PER_MINUTE_PER_CUSTOMER: '2',
  });
});

afterAll(async () => {
  await host?.close();
  data?.remove();
  await new Promise((resolve) => jwks?.close(resolve));
});

describe('store-signed customer tokens', () => {
  it('signs the named customer in from the store’s redirect, and the chat works', async () => {
    const client = new TestClient(host.url);
    const response = await client.request(`/auth/store?token=${await token({ customer_id: 16 })}`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect((await client.json('/api/session')).body).toMatchObject({ customer: { name: 'Frank Harris' }, signIn: 'store-token' });
    const turn = await client.json<{ reply: string }>('/api/chat', {
      method: 'POST',
      headers: { accept: 'application/json' },
      body: JSON.stringify({ message: 'What is my email address?' }),
    });
    expect(turn.status).toBe(200);
    expect(turn.body.reply).toContain('fharris@google.com');
  });

  it('takes the token in a JSON body from an embedding page', async () => {
    const client = new TestClient(host.url);
    const response = await client.json('/api/session/token', { method: 'POST', body: JSON.stringify({ token: await token({ customer_id: '1' }) }) });
    expect(response).toEqual({ status: 200, body: { customer: { name: 'Luís Gonçalves' } } });
  });

  it('refuses expired, wrongly signed, wrong-audience, customer-less and unknown-customer tokens, creating no session', async () => {
    const past = Math.floor(Date.now() / 1000) - 60;
    // A fresh token for each of the two ways in: a verified token is spent by its first use, and the second
    // must meet the same refusal, not the replay's.
    const refused: Array<[string, () => Promise<string> | string]> = [
      ['expired', () => token({ customer_id: 16 }, { expires: past })],
      ['signed by another key under the store’s key id', () => token({ customer_id: 16 }, { key: strangerKey })],
      ['signed by an unknown key id', () => token({ customer_id: 16 }, { key: strangerKey, kid: 'other' })],
      ['for another audience', () => token({ customer_id: 16 }, { audience: 'someone-else' })],
      ['naming no customer', () => token({ sub: 'x' })],
      ['without a jti (it could not be used only once)', () => token({ customer_id: 16 }, { jti: null })],
      ['naming a customer the store does not have', () => token({ customer_id: 9999 })],
      ['not a token at all', () => 'not-a-jwt-but-long-enough'],
    ];
    for (const [why, mint] of refused) {
      const client = new TestClient(host.url);
      const page = await client.request(`/auth/store?token=${encodeURIComponent(await mint())}`, { redirect: 'manual' });
      expect(page.status, why).toBe(401);
      expect(await page.text(), why).toContain('Sign-in problem');
      const api = await client.json<{ error: string }>('/api/session/token', { method: 'POST', body: JSON.stringify({ token: await mint() }) });
      expect(api.status, why).toBe(401);
      expect(api.body.error, why).toMatch(/sign-in link/);
      expect(client.cookie, why).toBe('');
      expect((await client.json('/api/session')).body, why).toMatchObject({ customer: null });
    }
    expect((await new TestClient(host.url).json('/api/chat', { method: 'POST', body: JSON.stringify({ message: 'hi' }) })).status).toBe(401);
  });

  it('signs in once per token: the same link again, on any tab, is refused and creates no session', async () => {
    const link = `/auth/store?token=${await token({ customer_id: 21 })}`;
    const first = new TestClient(host.url);
    expect((await first.request(link, { redirect: 'manual' })).status).toBe(303);
    const replay = new TestClient(host.url);
    const page = await replay.request(link, { redirect: 'manual' });
    expect(page.status).toBe(401);
    expect(await page.text()).toContain('This sign-in link was already used: open the chat again from your store account.');
    expect(replay.cookie).toBe('');
    expect((await replay.json('/api/session')).body).toMatchObject({ customer: null });
    // The signed-in tab stays signed in; a new link from the store works.
    expect((await first.json('/api/session')).body).toMatchObject({ customer: { name: 'Kathy Chase' } });
    expect((await replay.request(`/auth/store?token=${await token({ customer_id: 21 })}`, { redirect: 'manual' })).status).toBe(303);
  });

  it('refuses a browser past the account’s sign-in limit with a page saying so, Retry-After and no session', async () => {
    const browser = { accept: 'text/html,application/xhtml+xml' };
    for (let i = 0; i < 2; i++) {
      const signedIn = await new TestClient(host.url).request(`/auth/store?token=${await token({ customer_id: 20 })}`, { redirect: 'manual', headers: browser });
      expect(signedIn.status).toBe(303);
    }
    const client = new TestClient(host.url);
    const page = await client.request(`/auth/store?token=${await token({ customer_id: 20 })}`, { redirect: 'manual', headers: browser });
    expect(page.status).toBe(429);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(Number(page.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await page.text()).toMatch(/Sign-in problem[\s\S]*Too many sign-ins to this account \(at most 2 in a minute\)\. Please wait (\d+ seconds?|1 minute) and try again\./);
    expect(client.cookie).toBe('');
    // The same account from an embedding page: the same limit, answered as JSON.
    const api = await client.json<{ error: string }>('/api/session/token', { method: 'POST', body: JSON.stringify({ token: await token({ customer_id: 20 }) }) });
    expect(api.status).toBe(429);
    expect(api.body.error).toMatch(/^Too many sign-ins to this account/);
    expect((await client.json('/api/session')).body).toMatchObject({ customer: null });
  });

  it('has no demo picker: its routes answer 404', async () => {
    const client = new TestClient(host.url);
    expect((await client.json('/api/demo/customers')).status).toBe(404);
    expect((await client.login(16)).status).toBe(404);
    expect((await client.json('/api/auth')).body).toEqual({ customer: 'store-token', admin: 'token' });
  });
});
