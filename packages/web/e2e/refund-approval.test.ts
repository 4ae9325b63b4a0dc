// A refund end to end through the generic approval form: the customer asks, the request waits, an admin in a
// second browser context answers the form rendered from the tool's schema (or declines, or dismisses), and the
// customer's page shows how it ended without a reload (and still after one). The ledger says what really happened.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, PHONE, launchBrowser, openPage, screenshot, type TrackedPage } from './browser.ts';
import { queryChinook } from './db.ts';
import { startHost, type RunningHost } from './host.ts';
import { approvalCard, decidedItem, invoice, pendingRequest, requestRefund, signInAdmin, signInCustomer } from './pages.ts';

const DECISION_TIMEOUT = 60_000;

type RefundRow = { invoice_id: number; approved_by: string; approver_note: string | null };
const refundRows = (host: RunningHost, invoiceId: number) =>
  queryChinook<RefundRow>(host, 'SELECT invoice_id, approved_by, approver_note FROM algorhythm_refunds WHERE invoice_id = ?', invoiceId);

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

  it('approved through the form by an admin in another browser context, shown to the customer without a reload', async () => {
    const page = customer.page;
    await signInCustomer(page, 'Luís Gonçalves');
    const card = await requestRefund(page, 98);
    const waiting = await card.innerText();
    expect(waiting).toContain('Waiting for approval');
    expect(waiting).toMatch(invoice(98));
    const turn = page.locator('.msg-assistant', { has: card });
    expect(await turn.locator('.agent-badge').textContent()).toBe('Support Rep');
    // Marks this document: if the page reloaded, the mark would be gone.
    await page.evaluate(() => ((window as unknown as { e2eMark: number }).e2eMark = 42));
    await screenshot(page, 'customer-desktop-waiting-for-approval');

    await signInAdmin(admin.page, host.adminToken);
    const request = pendingRequest(admin.page, invoice(98));
    await request.waitFor();
    const details = await request.innerText();
    expect(details).toContain('Luís Gonçalves');
    expect(details).toContain('$3.98');
    expect(details).toMatch(/left/);
    expect(await request.locator('blockquote').innerText()).toMatch(/\S/);
    // The form comes from the tool's requestedSchema: a yes/no checkbox and an optional note.
    const approve = request.getByRole('checkbox', { name: 'Approve refund' });
    expect(await approve.isChecked()).toBe(false);
    const note = request.getByRole('textbox', { name: /^Note/ });
    expect(await note.getAttribute('aria-required')).toBeNull();
    await approve.check();
    await note.fill('Approved by the e2e test');
    await screenshot(admin.page, 'admin-desktop-queue');
    await admin.page.setViewportSize(PHONE);
    await screenshot(admin.page, 'admin-phone-queue', true);
    await admin.page.setViewportSize(DESKTOP);

    const answersBefore = await page.locator('.msg-assistant:not(.msg-extra)').count();
    await request.getByRole('button', { name: 'Submit' }).click();
    await request.waitFor({ state: 'detached' });
    const decided = decidedItem(admin.page, 'accepted', invoice(98));
    await decided.waitFor();
    const answer = await decided.locator('.decided-answer').innerText();
    expect(answer).toContain('Approve refund: Yes');
    expect(answer).toContain('Note: Approved by the e2e test');

    // The customer's page follows the conversation live: the card turns, and the answer after the decision arrives.
    const accepted = approvalCard(page, 'accepted');
    await accepted.waitFor({ timeout: DECISION_TIMEOUT });
    expect(await accepted.innerText()).toContain('Accepted');
    const after = page.locator('.msg-assistant:not(.msg-extra)').nth(answersBefore);
    await after.and(page.locator('[data-state="done"]')).waitFor({ timeout: DECISION_TIMEOUT });
    expect(await after.locator('.msg-text').innerText()).toMatch(/\S/);
    expect(await page.evaluate(() => (window as unknown as { e2eMark?: number }).e2eMark)).toBe(42);

    // The outcome reaches the admin's recent decisions and the customer's card.
    const outcome = decided.locator('.decided-outcome:not(.muted)');
    await outcome.waitFor({ timeout: DECISION_TIMEOUT });
    const outcomeText = (await outcome.innerText()).replace(/^Outcome:\s*/, '');
    await accepted.filter({ hasText: outcomeText }).waitFor({ timeout: DECISION_TIMEOUT });
    // Generic: the title and the outcome are the server's words; the card has no fields of its own.
    expect(await accepted.locator('p').allInnerTexts()).toEqual([expect.stringMatching(invoice(98)), outcomeText]);
    expect(customer.problems).toEqual([]);
    expect(admin.problems).toEqual([]);
    await screenshot(page, 'customer-desktop-refund-approved');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'customer-phone-refund-approved');
    await page.setViewportSize(DESKTOP);
    await screenshot(admin.page, 'admin-desktop-decided');

    // The ledger holds exactly this refund, with the admin's note.
    const rows = refundRows(host, 98);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.approver_note).toBe('Approved by the e2e test');
    expect(rows[0]!.approved_by).toMatch(/\S/);

    // And after a reload, from the stored conversation.
    await page.reload();
    await approvalCard(page, 'accepted').filter({ hasText: outcomeText }).waitFor();
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
    await page.locator('.approval-card[data-status="pending"]', { hasText: invoice(121) }).waitFor();

    const request = pendingRequest(admin.page, invoice(121));
    await request.waitFor();
    expect(await admin.page.evaluate(() => (window as unknown as { e2eMark?: number }).e2eMark)).toBe(7);
    const id = await request.getAttribute('data-approval-id');
    // Typed but not sent: a decline carries no content.
    await request.getByRole('textbox', { name: /^Note/ }).fill('Outside the refund window');
    await request.getByRole('button', { name: 'Decline' }).click();
    const decided = decidedItem(admin.page, 'declined', invoice(121));
    await decided.waitFor();
    expect(await decided.locator('.decided-answer').count()).toBe(0);

    const card = approvalCard(page, 'declined');
    await card.waitFor({ timeout: DECISION_TIMEOUT });
    expect(await card.innerText()).toContain('Declined');
    expect(await card.innerText()).not.toContain('Outside the refund window');
    const outcome = decided.locator('.decided-outcome');
    await outcome.waitFor({ timeout: DECISION_TIMEOUT });
    const outcomeText = (await outcome.innerText()).replace(/^Outcome:\s*/, '');
    await card.filter({ hasText: outcomeText }).waitFor({ timeout: DECISION_TIMEOUT });
    await screenshot(page, 'customer-desktop-refund-declined');
    expect(customer.problems).toEqual([]);
    expect(admin.problems).toEqual([]);
    expect(refundRows(host, 121)).toHaveLength(0);

    const again = await admin.context.request.post(`/api/admin/approvals/${id}/decision`, {
      data: { action: 'accept', content: { approve: true } },
    });
    expect(again.status()).toBe(409);
    expect(typeof (await again.json()).error).toBe('string');
  });

  it('dismissed by an admin: cancelled on both pages, nothing refunded', async () => {
    const page = customer.page;
    await page.getByRole('button', { name: /New/ }).first().click();
    await requestRefund(page, 143);
    const request = pendingRequest(admin.page, invoice(143));
    await request.waitFor();
    await request.getByRole('button', { name: 'Dismiss' }).click();
    const decided = decidedItem(admin.page, 'cancelled', invoice(143));
    await decided.waitFor();
    expect(await decided.locator('.status-pill').innerText()).toBe('Dismissed');
    const card = approvalCard(page, 'cancelled');
    await card.waitFor({ timeout: DECISION_TIMEOUT });
    expect(await card.innerText()).toContain('Cancelled');
    expect(refundRows(host, 143)).toHaveLength(0);
    expect(customer.problems).toEqual([]);
    expect(admin.problems).toEqual([]);
  });
});
