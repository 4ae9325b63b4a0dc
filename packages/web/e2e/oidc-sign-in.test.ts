// Real sign-in through OpenID Connect, in Chromium, against a real OpenID provider on 127.0.0.1
// (`oidc-provider`): the customer is found by the email claim in Chinook; the admin needs the role claim, and
// the approver recorded on the approval and in the refund ledger is that signed-in subject, not a typed name.
// The demo picker is gone in this mode.
import { createServer } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOidcProvider, type RunningOidcProvider } from '../../agent-host/src/testing/oidc-provider.ts';
import { launchBrowser, openPage, screenshot, type TrackedPage } from './browser.ts';
import { queryChinook } from './db.ts';
import { startHost, type RunningHost } from './host.ts';
import { decidedItem, invoice, pendingRequest, requestRefund } from './pages.ts';

const ACCOUNTS = {
  luis: { email: 'luisg@embraer.com.br', name: 'Luís Gonçalves' },
  stranger: { email: 'nobody@example.com', name: 'No Customer' },
  dana: { email: 'dana@algorhythm.example', name: 'Dana Scully', roles: ['algorhythm-admin'] },
  eve: { email: 'eve@algorhythm.example', name: 'Eve Intruder', roles: ['staff'] },
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** The provider's development login and consent pages: any password, the login names the account. */
async function signInAtProvider(page: Page, login: string): Promise<void> {
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

describe('OpenID Connect sign-in', () => {
  let provider: RunningOidcProvider;
  let host: RunningHost;
  let browser: Browser;
  const pages: TrackedPage[] = [];
  const open = async () => {
    const tracked = await openPage(browser, host.url);
    pages.push(tracked);
    return tracked;
  };

  beforeAll(async () => {
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    provider = await startOidcProvider({
      accounts: ACCOUNTS,
      clients: [
        { clientId: 'chat', clientSecret: 'chat-secret-0123456789', redirectUris: [`${publicUrl}/auth/callback`] },
        { clientId: 'admin', clientSecret: 'admin-secret-0123456789', redirectUris: [`${publicUrl}/auth/admin/callback`] },
      ],
    });
    host = await startHost({
      env: {
        PORT: String(port),
        PUBLIC_URL: publicUrl,
        CUSTOMER_AUTH: 'oidc',
        CUSTOMER_OIDC_ISSUER: provider.issuer,
        CUSTOMER_OIDC_CLIENT_ID: 'chat',
        CUSTOMER_OIDC_CLIENT_SECRET: 'chat-secret-0123456789',
        ADMIN_AUTH: 'oidc',
        ADMIN_OIDC_ISSUER: provider.issuer,
        ADMIN_OIDC_CLIENT_ID: 'admin',
        ADMIN_OIDC_CLIENT_SECRET: 'admin-secret-0123456789',
      },
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await provider?.close();
  });

  it('signs a customer in through the redirect flow, and an admin with the role approves as themselves', async () => {
    const customer = await open();
    await customer.page.goto('/');
    await customer.page.getByRole('link', { name: 'Sign in with your store account' }).waitFor();
    expect(await customer.page.locator('#demo-mode').isVisible()).toBe(false);
    expect(await customer.page.getByLabel('Sign in as a demo customer').isVisible()).toBe(false);
    await customer.page.getByRole('link', { name: 'Sign in with your store account' }).click();
    await signInAtProvider(customer.page, 'luis');
    await customer.page.locator('#account-name', { hasText: 'Luís Gonçalves' }).waitFor();
    await screenshot(customer.page, 'customer-desktop-oidc-signed-in');
    await requestRefund(customer.page, 98);

    const admin = await open();
    await admin.page.goto('/admin');
    const providerLink = admin.page.getByRole('link', { name: 'Sign in with your organisation account' });
    await providerLink.waitFor();
    expect(await admin.page.getByLabel('Admin token').isVisible()).toBe(false);
    await providerLink.click();
    await signInAtProvider(admin.page, 'dana');
    const request = pendingRequest(admin.page, invoice(98));
    await request.waitFor();
    await request.getByRole('checkbox', { name: 'Approve refund' }).check();
    await request.getByRole('button', { name: 'Submit' }).click();
    await decidedItem(admin.page, 'accepted', invoice(98)).waitFor();
    expect(await decidedItem(admin.page, 'accepted', invoice(98)).innerText()).toContain('Dana Scully <dana>');
    await customer.page.locator('.approval-card[data-status="accepted"]', { hasText: invoice(98) }).waitFor({ timeout: 60_000 });

    const rows = queryChinook<{ approved_by: string }>(host, 'SELECT approved_by FROM algorhythm_refunds WHERE invoice_id = ?', 98);
    expect(rows).toEqual([{ approved_by: 'Dana Scully <dana>' }]);
    for (const p of pages) expect(p.problems).toEqual([]);
  });

  it('refuses a provider account that is no customer, and an account without the admin role; nothing is signed in', async () => {
    const stranger = await open();
    await stranger.page.goto('/auth/login');
    await signInAtProvider(stranger.page, 'stranger');
    await stranger.page.getByText('no customer record matches it').waitFor();
    const session = await stranger.page.request.get('/api/session');
    expect(await session.json()).toMatchObject({ customer: null, signIn: 'oidc' });

    const eve = await open();
    await eve.page.goto('/auth/admin/login');
    await signInAtProvider(eve.page, 'eve');
    await eve.page.getByText('Eve Intruder is signed in but is not an Algorhythm admin').waitFor();
    expect((await eve.page.request.get('/api/admin/approvals')).status()).toBe(401);
  });

  it('has no demo picker and no token sign-in form in this mode: 404', async () => {
    const page = (await open()).page;
    expect((await page.request.get('/api/demo/customers')).status()).toBe(404);
    expect((await page.request.post('/api/login', { data: { customerId: 1 } })).status()).toBe(404);
    expect((await page.request.post('/api/admin/login', { data: { token: host.adminToken } })).status()).toBe(404);
    // The shared token stays a bearer for scripts, named as a service identity.
    const scripted = await page.request.get('/api/admin/session', { headers: { authorization: `Bearer ${host.adminToken}` } });
    expect(await scripted.json()).toEqual({ admin: { subject: 'service:admin-token', name: 'Admin token' } });
  });
});
