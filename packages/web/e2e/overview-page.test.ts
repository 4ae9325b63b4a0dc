// Overview page against the real agent host: an admin signs in on it (nothing yet: the empty state), a customer
// has a music turn and a refund the admin approves, and the overview then draws both turns' agents, tools, cost
// and the decision; both turns are on the Traces page, the refund's waterfall reaching the support server.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, PHONE, launchBrowser, openPage, screenshot, type TrackedPage } from './browser.ts';
import { startHost, type RunningHost } from './host.ts';
import { approvalCard, ask, decidedItem, invoice, pendingRequest, requestRefund, signInCustomer } from './pages.ts';

const DECISION_TIMEOUT = 60_000;

/** Pixels of a canvas that are not transparent: a drawn chart has its axes, grid and lines. */
const drawnPixels = (page: Page, selector: string) =>
  page.locator(selector).evaluate((canvas: HTMLCanvasElement) => {
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let drawn = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) drawn++;
    return drawn;
  });

describe('overview page', () => {
  let host: RunningHost;
  let browser: Browser;
  let customer: TrackedPage;
  let admin: TrackedPage;

  beforeAll(async () => {
    host = await startHost();
    browser = await launchBrowser();
    customer = await openPage(browser, host.url);
    admin = await openPage(browser, host.url);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('charts a music turn and an approved refund, and both are on the Traces page', async () => {
    const page = admin.page;
    await page.goto('/admin/overview');
    await page.getByLabel('Admin token').fill(host.adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('No turns in this window yet.').waitFor();
    expect(await page.locator('#panels').isHidden()).toBe(true);

    await signInCustomer(customer.page, 'Luís Gonçalves');
    await ask(customer.page, 'Show me albums by AC/DC');
    await requestRefund(customer.page, 98);

    // Signed in already (the overview's sign-in set the admin cookie): the queue opens straight away.
    await page.goto('/admin');
    const request = pendingRequest(page, invoice(98));
    await request.waitFor();
    await request.getByRole('checkbox', { name: 'Approve refund' }).check();
    await request.getByRole('button', { name: 'Submit' }).click();
    await decidedItem(page, 'accepted', invoice(98)).waitFor();
    await approvalCard(customer.page, 'accepted').waitFor({ timeout: DECISION_TIMEOUT });

    await page.getByRole('link', { name: 'Overview' }).click();
    await page.waitForURL('**/admin/overview');
    await page.getByLabel('Window').selectOption('1h');
    await page.waitForURL('**/admin/overview?window=1h');
    // Spans reach the store within a second or two; the page refreshes every ten.
    const tools = page.locator('#tools');
    await tools.locator('tr[data-name="get_albums_by_artist"]').waitFor({ timeout: 30_000 });
    await tools.locator('tr[data-name="process_refund"]').waitFor({ timeout: 30_000 });
    const latency = await page.locator('#latency').innerText();
    for (const agent of ['supervisor', 'music_expert', 'support_rep']) expect(latency).toContain(agent);
    const routes = page.locator('#routes');
    await routes.locator('[data-route="music_expert"]').waitFor();
    await routes.locator('[data-route="support_rep"]').waitFor();

    const stats = await page.locator('#stats').innerText();
    expect(stats).toMatch(/Approvals waiting\s+0/);
    expect(stats).toMatch(/Decided\s+1/);
    expect(stats).toMatch(/Time to decision P50\s+\d/);
    expect(stats).not.toMatch(/Turns\s+0\b/);

    for (const id of ['chart-cost-agent', 'chart-cost-model', 'chart-tokens', 'chart-agent-latency']) {
      expect(await drawnPixels(page, `#${id} canvas`), id).toBeGreaterThan(1000);
    }
    const series = (id: string) => page.locator(`#${id}`).getAttribute('data-series');
    // The offline model has no price: its cost is a line at $0, one per agent and model that made a model call.
    expect((await series('chart-cost-agent'))?.split(',').sort()).toEqual(['music_expert', 'supervisor', 'support_rep']);
    expect(await series('chart-cost-model')).toBe('offline');
    expect(await series('chart-tokens')).toBe('input,output');
    expect((await series('chart-agent-latency'))?.split(',').sort()).toEqual(['music_expert', 'supervisor', 'support_rep']);
    for (const id of ['chart-tokens', 'chart-agent-latency']) {
      expect(Number(await page.locator(`#${id}`).getAttribute('data-points')), id).toBeGreaterThan(0);
    }
    await screenshot(page, 'admin-overview-desktop', true);
    await page.setViewportSize(PHONE);
    await screenshot(page, 'admin-overview-phone', true);
    await page.setViewportSize(DESKTOP);

    await page.getByRole('link', { name: 'Traces' }).click();
    const music = page.locator('.trace-row', { hasText: 'music_expert' }).first();
    await music.waitFor({ timeout: 30_000 });
    const refunds = page.locator('.trace-row', { hasText: 'support_rep' });
    await refunds.first().waitFor({ timeout: 30_000 });
    // The refund's spans in the support server: its tool call, in the turn that asked or in the one the decision resumed.
    await expect
      .poll(async () => {
        for (const row of await refunds.all()) {
          await row.click();
          await page.locator('.span-row').first().waitFor();
          if ((await page.locator('.span-row[data-service="support-mcp"]').count()) > 0) return true;
        }
        return false;
      }, { timeout: 20_000 })
      .toBe(true);
    expect(admin.problems).toEqual([]);
    expect(customer.problems).toEqual([]);
  });

  it('answers only the admin, and a window it does not know with 400', async () => {
    expect((await fetch(`${host.url}/api/admin/overview`)).status).toBe(401);
    expect((await customer.context.request.get('/api/admin/overview')).status()).toBe(401);
    const bad = await admin.context.request.get('/api/admin/overview?window=2w');
    expect(bad.status()).toBe(400);
    expect((await bad.json()).error).toBe('Unknown window "2w": use one of 1h, 24h, 7d, 30d.');
    expect((await admin.context.request.get('/api/admin/overview?window=7d')).status()).toBe(200);
  });
});
