// The admin queue keeps customers out: no admin cookie or token, no queue (API and page).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHONE, launchBrowser, openPage, screenshot } from './browser.ts';
import { startHost, type RunningHost } from './host.ts';
import { signInCustomer } from './pages.ts';

describe('admin access', () => {
  let host: RunningHost;
  let browser: Browser;

  beforeAll(async () => {
    host = await startHost();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('a signed-in customer cannot open the admin queue', async () => {
    const { page, context } = await openPage(browser, host.url);
    await signInCustomer(page, 'Frank Harris');

    for (const path of ['/api/admin/approvals', '/api/admin/approvals?status=pending']) {
      const response = await context.request.get(path);
      expect(response.status(), path).toBe(401);
      expect(typeof (await response.json()).error).toBe('string');
    }
    const decision = await context.request.post('/api/admin/approvals/anything/decision', { data: { action: 'decline' } });
    expect(decision.status()).toBe(401);
    const events = await context.request.get('/api/admin/approvals/events', { timeout: 10_000 });
    expect(events.status()).toBe(401);

    await page.goto('/admin');
    await page.getByRole('heading', { name: 'Admin sign-in' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Waiting for a decision' }).isVisible()).toBe(false);
    await screenshot(page, 'admin-desktop-signin');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'admin-phone-signin');
  });

  it('a wrong token is refused with a message and the queue stays closed', async () => {
    const { page, context } = await openPage(browser, host.url);
    await page.goto('/admin');
    await page.getByLabel('Admin token').fill('not-the-admin-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not valid' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Waiting for a decision' }).isVisible()).toBe(false);
    expect((await context.request.get('/api/admin/approvals')).status()).toBe(401);
  });

  it('the right token opens the queue, and signing out closes it', async () => {
    const { page, context } = await openPage(browser, host.url);
    await page.goto('/admin');
    await page.getByLabel('Admin token').fill(host.adminToken);
    await page.getByLabel('Admin token').press('Enter');
    await page.getByRole('heading', { name: 'Waiting for a decision' }).waitFor();
    await page.locator('#live-status[data-state="live"]').waitFor();
    expect((await context.request.get('/api/admin/approvals')).status()).toBe(200);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Admin sign-in' }).waitFor();
    expect((await context.request.get('/api/admin/approvals')).status()).toBe(401);
  });
});
