// Traces page against the real agent host (spans kept by the host, no collector): a music turn shows up in
// the list, opens as a waterfall across the host and the catalog server, and a span shows its attributes.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot, type TrackedPage } from './browser.ts';
import { startHost, type RunningHost } from './host.ts';
import { ask, signInCustomer } from './pages.ts';

describe('traces page', () => {
  let host: RunningHost;
  let browser: Browser;
  let customer: TrackedPage;
  let admin: TrackedPage;
  let page: Page;

  beforeAll(async () => {
    host = await startHost();
    browser = await launchBrowser();
    customer = await openPage(browser, host.url);
    admin = await openPage(browser, host.url);
    page = admin.page;
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('signs in as admin, lists a music turn, and opens it as a waterfall across the host and the catalog server', async () => {
    await signInCustomer(customer.page, 'Luís Gonçalves');
    await ask(customer.page, 'Show me albums by AC/DC');

    await page.goto('/admin/traces');
    await page.getByLabel('Admin token').fill(host.adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const row = page.locator('.trace-row', { hasText: 'music_expert' }).first();
    await row.waitFor({ timeout: 30_000 });
    expect(await row.innerText()).toContain('Luís Gonçalves');
    // The catalog server's spans arrive with its next export (within a second).
    await expect.poll(async () => {
      await row.click();
      await page.locator('.span-row').first().waitFor();
      return page.locator('.span-row[data-service="catalog-mcp"]').count();
    }, { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await page.locator('.span-row[data-service="host"]').count()).toBeGreaterThan(3);
    await page.locator('.span-row', { hasText: 'SELECT Album' }).click();
    expect(await page.locator('#span-attributes').innerText()).toContain('db.collection.name');
    await screenshot(page, 'admin-traces-waterfall', true);

    await page.getByLabel('Tool').fill('no_such_tool');
    await page.getByText('No turns match these filters.').waitFor();
    expect(admin.problems).toEqual([]);
  });
});
