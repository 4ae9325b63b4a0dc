// OpenID Connect sign-in across two host replicas on one PostgreSQL, as behind a round-robin balancer: the
// sign-in starts on replica A and the provider's redirect lands on replica B, which finishes it from the signed
// cookie alone; the session then works on both, and the approver in the PostgreSQL ledger is the admin who
// signed in. Driven over HTTP (the browser flow is in packages/web/e2e).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHost } from '../compose.ts';
import { makeDataDir, startTestHost } from '../testing/host-harness.ts';
import { postgresLedgerRows } from '../testing/ledger.ts';
import { startOidcProvider, type RunningOidcProvider } from '../testing/oidc-provider.ts';
import { useTestPostgres } from '../testing/postgres.ts';

/** The balancer's address, as the provider knows it; the test plays the balancer and picks the replica. */
const PUBLIC_URL = 'http://127.0.0.1:9';
const server = useTestPostgres();
let provider: RunningOidcProvider;
let a: RunningHost;
let b: RunningHost;
let data: ReturnType<typeof makeDataDir>;
let databaseUrl: string;

/** Cookies by origin, enough for one browser going back and forth between the host replicas and the provider. */
class Browser {
  private readonly jar = new Map<string, Map<string, string>>();
  async go(url: string, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const cookies = this.jar.get(key(target)) ?? new Map();
    const headers = new Headers(init.headers);
    if (cookies.size) headers.set('cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(target, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      const expired = /max-age=0|expires=Thu, 01 Jan 1970/i.test(line);
      if (expired) cookies.delete(pair!.slice(0, at));
      else cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    this.jar.set(key(target), cookies);
    return response;
  }
  /** The host replicas share one site (the balancer's): their cookies are one jar. */
  share(from: string, to: string) {
    this.jar.set(key(new URL(to)), this.jar.get(key(new URL(from))) ?? new Map());
  }
}
const key = (url: URL) => (url.port === new URL(provider.issuer).port ? 'provider' : 'hosts');

/** Through the provider's login and consent pages until it redirects to the (balancer's) callback URL. */
async function atProvider(browser: Browser, authorizeUrl: string, login: string): Promise<URL> {
  let response = await browser.go(authorizeUrl);
  for (let step = 0; step < 12; step++) {
    const location = response.headers.get('location');
    if (location?.startsWith(PUBLIC_URL)) return new URL(location);
    if (location) {
      response = await browser.go(new URL(location, provider.issuer).href);
      continue;
    }
    const html = await response.text();
    const action = /<form[^>]*action="([^"]+)"[^>]*method="post"/.exec(html)?.[1];
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    if (!action || !prompt) throw new Error(`unexpected provider page (${response.status}): ${html.slice(0, 300)}`);
    const form = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any' } : { prompt });
    response = await browser.go(new URL(action.replaceAll('&amp;', '&'), provider.issuer).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
  }
  throw new Error('the provider never redirected back');
}

beforeAll(async () => {
  provider = await startOidcProvider({
    accounts: {
      frank: { email: 'FHarris@google.com', name: 'Frank Harris' },
      dana: { email: 'dana@algorhythm.example', name: 'Dana Scully', roles: ['algorhythm-admin'] },
    },
    clients: [
      { clientId: 'chat', clientSecret: 'chat-secret-0123456789', redirectUris: [`${PUBLIC_URL}/auth/callback`] },
      { clientId: 'admin', clientSecret: 'admin-secret-0123456789', redirectUris: [`${PUBLIC_URL}/auth/admin/callback`] },
    ],
  });
  data = makeDataDir();
  databaseUrl = await (await server()).createDatabase('sign_in');
  const env = {
    DATABASE_URL: databaseUrl,
    TRACE_STORE: 'off',
    PUBLIC_URL,
    CUSTOMER_AUTH: 'oidc',
    CUSTOMER_OIDC_ISSUER: provider.issuer,
    CUSTOMER_OIDC_CLIENT_ID: 'chat',
    CUSTOMER_OIDC_CLIENT_SECRET: 'chat-secret-0123456789',
    ADMIN_AUTH: 'oidc',
    ADMIN_OIDC_ISSUER: provider.issuer,
    ADMIN_OIDC_CLIENT_ID: 'admin',
    ADMIN_OIDC_CLIENT_SECRET: 'admin-secret-0123456789',
  };
  [a, b] = await Promise.all([startTestHost(data.dir, env), startTestHost(data.dir, env)]);
});

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  data?.remove();
  await provider?.close();
});

describe('sign-in across replicas', () => {
  it('starts a customer sign-in on one replica and finishes it on the other (email claim matched without case)', async () => {
    const browser = new Browser();
    const start = await browser.go(`${a.url}/auth/login?returnTo=/`);
    expect(start.status).toBe(302);
    const callback = await atProvider(browser, start.headers.get('location')!, 'frank');
    browser.share(a.url, b.url);
    const finish = await browser.go(`${b.url}${callback.pathname}${callback.search}`);
    expect(finish.status).toBe(303);
    expect(finish.headers.get('location')).toBe('/');
    for (const host of [a, b]) {
      const session = await browser.go(`${host.url}/api/session`);
      expect(await session.json()).toMatchObject({ customer: { name: 'Frank Harris' }, signIn: 'oidc' });
    }
    // The pending sign-in was used up: the same callback again is refused and signs nobody in.
    const replay = await browser.go(`${a.url}${callback.pathname}${callback.search}`);
    expect(replay.status).toBe(400);
  });

  it('signs an admin in on one replica via the other, as the provider’s subject and name', async () => {
    const browser = new Browser();
    const start = await browser.go(`${b.url}/auth/admin/login?returnTo=/admin/traces`);
    const callback = await atProvider(browser, start.headers.get('location')!, 'dana');
    browser.share(b.url, a.url);
    const finish = await browser.go(`${a.url}${callback.pathname}${callback.search}`);
    expect(finish.headers.get('location')).toBe('/admin/traces');
    for (const host of [a, b]) {
      expect(await (await browser.go(`${host.url}/api/admin/session`)).json()).toEqual({ admin: { subject: 'dana', name: 'Dana Scully' } });
    }
  });

  it('records the signed-in admin as the approver: a refund asked on one replica, decided on the other', async () => {
    const customer = new Browser();
    const start = await customer.go(`${a.url}/auth/login`);
    const callback = await atProvider(customer, start.headers.get('location')!, 'frank');
    expect((await customer.go(`${a.url}${callback.pathname}${callback.search}`)).status).toBe(303);
    const asked = await customer.go(`${a.url}/api/chat`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'I want a refund for invoice 134 because it was a duplicate' }),
    }).then((r) => r.json() as Promise<{ approval: { id: string; status: string } }>);
    expect(asked.approval).toMatchObject({ status: 'pending' });

    const dana = new Browser();
    const adminStart = await dana.go(`${b.url}/auth/admin/login`);
    const adminCallback = await atProvider(dana, adminStart.headers.get('location')!, 'dana');
    expect((await dana.go(`${b.url}${adminCallback.pathname}${adminCallback.search}`)).status).toBe(303);
    const queue = (await (await dana.go(`${b.url}/api/admin/approvals?status=pending`)).json()) as { approvals: Array<{ id: string; decidedBy: string | null }> };
    const approval = queue.approvals.find((x) => x.id === asked.approval.id);
    expect(approval).toMatchObject({ decidedBy: null });
    const decided = await dana.go(`${b.url}/api/admin/approvals/${approval!.id}/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // A name typed into the answer is not who decides.
      body: JSON.stringify({ action: 'accept', content: { approve: true, note: 'signed as Mallory' } }),
    });
    expect(decided.status).toBe(200);
    expect(await decided.json()).toMatchObject({ decidedBy: 'Dana Scully <dana>' });
    // The decision answers once its tool call wrote the ledger.
    expect(await postgresLedgerRows(databaseUrl)).toEqual([
      expect.objectContaining({ invoice_id: 134, customer_id: 16, approved_by: 'Dana Scully <dana>', approver_note: 'signed as Mallory' }),
    ]);
  });

  it('refuses a callback whose state does not match the pending sign-in', async () => {
    const browser = new Browser();
    const start = await browser.go(`${a.url}/auth/login`);
    const callback = await atProvider(browser, start.headers.get('location')!, 'frank');
    callback.searchParams.set('state', 'forged-state');
    browser.share(a.url, b.url);
    const finish = await browser.go(`${b.url}${callback.pathname}${callback.search}`);
    expect(finish.status).toBe(401);
    expect(await (await browser.go(`${a.url}/api/session`)).json()).toMatchObject({ customer: null });
  });
});
