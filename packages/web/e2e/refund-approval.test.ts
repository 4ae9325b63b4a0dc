// A refund end to end: the customer asks, the request waits, an admin in a second browser context decides,
// and the customer's page shows the outcome without a reload (and still after one).
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, PHONE, launchBrowser, openPage, screenshot, type TrackedPage } from './browser.ts';
import { startHost, type RunningHost } from './host.ts';
import { approvalCard, ask, pendingRequest, signInAdmin, signInCustomer } from './pages.ts';

const DECISION_TIMEOUT = 60_000;

/** Asks for a refund; if the assistant first asks to confirm, confirms. Returns the pending card. */
async function requestRefund(page: Page, invoiceId: number): Promise<Locator> {
  const card = page.locator(`.approval-card[data-status="pending"]`, { hasText: `#${invoiceId}` });
  const turn = await ask(page, `I want a refund for invoice ${invoiceId}`);
  expect(await turn.getAttribute('data-state')).toBe('done');
  if ((await card.count()) === 0) await ask(page, 'Yes, please go ahead with the refund.');
  await card.waitFor();
  return card;
}

describe('refund approval', () => {
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

  it('approved by an admin in another browser context, shown to the customer without a reload', async () => {
    const page = customer.page;
    await signInCustomer(page, 'Luís Gonçalves');
    const card = await requestRefund(page, 98);
    expect(await card.innerText()).toContain('Waiting for approval');
    const turn = page.locator('.msg-assistant', { has: card });
    expect(await turn.locator('.agent-badge').textContent()).toBe('Support Rep');
    // Marks this document: if the page reloaded, the mark would be gone.
    await page.evaluate(() => ((window as unknown as { e2eMark: number }).e2eMark = 42));
    await screenshot(page, 'customer-desktop-waiting-for-approval');

    await signInAdmin(admin.page, host.adminToken);
    const request = pendingRequest(admin.page, 98);
    await request.waitFor();
    const details = await request.innerText();
    expect(details).toContain('Luís Gonçalves');
    expect(details).toContain('$3.98');
    expect(details).toMatch(/left/);
    expect(await request.locator('blockquote').innerText()).toMatch(/\S/);
    await request.getByLabel(/Note/).fill('Approved by the e2e test');
    await screenshot(admin.page, 'admin-desktop-queue');
    await admin.page.setViewportSize(PHONE);
    await screenshot(admin.page, 'admin-phone-queue', true);
    await admin.page.setViewportSize(DESKTOP);

    const answersBefore = await page.locator('.msg-assistant:not(.msg-extra)').count();
    await request.getByRole('button', { name: 'Approve refund' }).click();
    await request.waitFor({ state: 'detached' });
    const decided = admin.page.locator('.decided[data-status="approved"]', { hasText: 'Invoice #98' });
    await decided.waitFor();
    expect(await decided.innerText()).toContain('Approved by the e2e test');

    // The customer's page follows the conversation live: the card turns, and the answer after the decision arrives.
    await approvalCard(page, 'approved').waitFor({ timeout: DECISION_TIMEOUT });
    const after = page.locator('.msg-assistant:not(.msg-extra)').nth(answersBefore);
    await after.and(page.locator('[data-state="done"]')).waitFor({ timeout: DECISION_TIMEOUT });
    expect(await after.locator('.msg-text').innerText()).toMatch(/\S/);
    expect(await page.evaluate(() => (window as unknown as { e2eMark?: number }).e2eMark)).toBe(42);
    expect(customer.problems).toEqual([]);
    expect(admin.problems).toEqual([]);
    await screenshot(page, 'customer-desktop-refund-approved');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'customer-phone-refund-approved');
    await page.setViewportSize(DESKTOP);

    // The outcome reaches the admin's recent decisions too.
    await decided.locator('.decided-outcome:not(.muted)').waitFor({ timeout: DECISION_TIMEOUT });
    await screenshot(admin.page, 'admin-desktop-decided');

    // And after a reload, from the stored conversation.
    await page.reload();
    await approvalCard(page, 'approved').waitFor();
    expect(await page.locator('.approval-card').count()).toBe(1);
  });

  it('declined by an admin: the request reaches the open queue live, the reloaded customer page sees it declined', async () => {
    const page = customer.page;
    // The admin's queue is already open from the first test; it must update without a reload or polling.
    await admin.page.locator('#live-status[data-state="live"]').waitFor();
    await admin.page.evaluate(() => ((window as unknown as { e2eMark: number }).e2eMark = 7));
    await page.getByRole('button', { name: /New/ }).first().click();
    await requestRefund(page, 121);
    // A reload while it waits: the card comes back from the stored conversation, and the page follows it again.
    await page.reload();
    await page.locator('.approval-card[data-status="pending"]', { hasText: '#121' }).waitFor();

    const request = pendingRequest(admin.page, 121);
    await request.waitFor();
    expect(await admin.page.evaluate(() => (window as unknown as { e2eMark?: number }).e2eMark)).toBe(7);
    const id = await request.getAttribute('data-approval-id');
    await request.getByLabel(/Note/).fill('Outside the refund window');
    await request.getByRole('button', { name: 'Decline' }).click();
    await admin.page.locator('.decided[data-status="declined"]', { hasText: 'Invoice #121' }).waitFor();

    const card = approvalCard(page, 'declined');
    await card.waitFor({ timeout: DECISION_TIMEOUT });
    expect(await card.innerText()).toContain('Refund declined');
    await page.waitForFunction(() => document.querySelector('.approval-card[data-status="declined"] .approval-note'), null, {
      timeout: DECISION_TIMEOUT,
    });
    expect(await card.innerText()).toContain('Outside the refund window');
    await screenshot(page, 'customer-desktop-refund-declined');
    expect(customer.problems).toEqual([]);
    expect(admin.problems).toEqual([]);

    const again = await admin.context.request.post(`/api/admin/approvals/${id}/decision`, { data: { decision: 'approve' } });
    expect(again.status()).toBe(409);
    expect(typeof (await again.json()).error).toBe('string');
  });
});
