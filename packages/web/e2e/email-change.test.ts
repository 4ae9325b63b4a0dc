// An email change end to end: the customer asks in the chat, `change_email` asks a person, the admin queue
// renders the tool's form from its schema (Confirm + Note), checks it before anything is sent, survives a
// reload, and a submitted answer changes the customer's email in the database with one audit row.
import type { Browser, Locator, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, PHONE, launchBrowser, openPage, screenshot, type TrackedPage } from './browser.ts';
import { queryChinook } from './db.ts';
import { startHost, type RunningHost } from './host.ts';
import { approvalCard, ask, decidedItem, pendingRequest, signInAdmin, signInCustomer } from './pages.ts';

const DECISION_TIMEOUT = 60_000;
const CUSTOMER = { id: 16, name: 'Frank Harris', email: 'fharris@google.com' };
const NEW_EMAIL = 'new.address@example.com';
const TITLE = `Email change for ${CUSTOMER.name}`;
const NOTE = 'Confirmed on the phone with the customer';

/** Asks for the change; if the assistant first asks to confirm, confirms. Returns the pending card. */
async function requestEmailChange(page: Page): Promise<Locator> {
  const card = page.locator('.approval-card[data-status="pending"]', { hasText: TITLE });
  const turn = await ask(page, `Please change my email to ${NEW_EMAIL}`);
  expect(await turn.getAttribute('data-state')).toBe('done');
  if ((await card.count()) === 0) await ask(page, 'Yes, please go ahead and change it.');
  await card.waitFor();
  return card;
}

const storedEmail = (host: RunningHost) =>
  queryChinook<{ Email: string }>(host, 'SELECT Email FROM Customer WHERE CustomerId = ?', CUSTOMER.id)[0]?.Email;

describe('email change approval', () => {
  let host: RunningHost;
  let browser: Browser;
  let customer: TrackedPage;
  let admin: TrackedPage;
  let approvalId: string;
  /** Every decision POST the admin page sent. */
  const decisions: Request[] = [];

  const request = () => pendingRequest(admin.page, TITLE);

  beforeAll(async () => {
    host = await startHost();
    browser = await launchBrowser();
    customer = await openPage(browser, host.url);
    admin = await openPage(browser, host.url);
    admin.page.on('request', (r) => {
      if (r.method() === 'POST' && /\/api\/admin\/approvals\/[^/]+\/decision$/.test(new URL(r.url()).pathname)) decisions.push(r);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('reaches the admin queue with the form rendered from the schema, and is still there after a reload', async () => {
    const page = customer.page;
    await signInCustomer(page, CUSTOMER.name);
    const card = await requestEmailChange(page);
    expect(await card.innerText()).toContain('Waiting for approval');
    expect(storedEmail(host)).toBe(CUSTOMER.email);

    await signInAdmin(admin.page, host.adminToken);
    await request().waitFor();
    const details = await request().innerText();
    expect(details).toContain(CUSTOMER.name);
    expect(details).toContain(CUSTOMER.email);
    expect(details).toContain(NEW_EMAIL);
    expect(details).toMatch(/left/);
    expect(await request().locator('blockquote').innerText()).toMatch(/\S/);
    approvalId = (await request().getAttribute('data-approval-id'))!;
    expect(approvalId).toBeTruthy();
    await expectTheForm(request());
    await screenshot(admin.page, 'admin-desktop-email-change');

    // Durable: the request lives in the host's store, not in the page.
    await admin.page.reload();
    await admin.page.getByRole('heading', { name: 'Waiting for a decision' }).waitFor();
    await admin.page.locator(`.request[data-approval-id="${approvalId}"]`).waitFor();
    await expectTheForm(request());
    expect(await admin.page.locator('#pending-count').textContent()).toBe('1');
    expect(admin.problems).toEqual([]);
  });

  it('stops a note over its limit on the page, and shows the host refusing an answer in the card', async () => {
    const card = request();
    const note = card.getByRole('textbox', { name: /^Note/ });
    await card.getByRole('checkbox', { name: /Confirm/ }).check();
    await note.fill('x'.repeat(501));
    expect(await card.locator('[data-field="note"] .field-count').innerText()).toBe('1 character too many');
    await card.getByRole('button', { name: 'Submit' }).click();

    const problem = card.locator('[data-field="note"] .field-error');
    await problem.waitFor();
    expect(await problem.innerText()).toContain('at most 500 characters');
    expect(await note.getAttribute('aria-invalid')).toBe('true');
    expect(await note.evaluate((el) => el === document.activeElement)).toBe(true);
    // The error is part of the note's description, so a screen reader reads it on focus.
    const describedBy = (await note.getAttribute('aria-describedby'))!.split(' ');
    expect(describedBy).toContain(await problem.getAttribute('id'));
    await admin.page.waitForTimeout(300);
    expect(decisions).toHaveLength(0);
    await screenshot(admin.page, 'admin-desktop-form-problem');
    await admin.page.setViewportSize(PHONE);
    await screenshot(admin.page, 'admin-phone-form-problem', true);
    await admin.page.setViewportSize(DESKTOP);

    // Fixing the value clears the message as the admin types.
    await note.fill(NOTE);
    await problem.waitFor({ state: 'hidden' });
    expect(await note.getAttribute('aria-invalid')).toBeNull();

    // The host checks content with the same rules; an answer it refuses (here a field the form does not have,
    // slipped into the request) comes back as 400 { error }, shown in the card, which stays pending.
    await admin.page.route('**/api/admin/approvals/*/decision', (route) =>
      route.continue({ postData: JSON.stringify({ action: 'accept', content: { confirm: true, note: NOTE, extra: 'not in the form' } }) }),
    );
    const refused = admin.page.waitForResponse((r) => r.url().endsWith('/decision'));
    await card.getByRole('button', { name: 'Submit' }).click();
    expect((await refused).status()).toBe(400);
    const alert = card.getByRole('alert').filter({ hasText: /\S/ });
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/\S/);
    await admin.page.unroute('**/api/admin/approvals/*/decision');
    expect(await card.getByRole('button', { name: 'Submit' }).isEnabled()).toBe(true);
    expect(storedEmail(host)).toBe(CUSTOMER.email);
    expect(await approvalCard(customer.page, 'pending').count()).toBe(1);
  });

  it('submitted with Confirm ticked: the customer sees the outcome, the database has the new email and one audit row', async () => {
    const page = customer.page;
    const card = request();
    expect(await card.getByRole('checkbox', { name: /Confirm/ }).isChecked()).toBe(true);
    expect(await card.getByRole('textbox', { name: /^Note/ }).inputValue()).toBe(NOTE);
    const answersBefore = await page.locator('.msg-assistant:not(.msg-extra)').count();
    const sent = admin.page.waitForRequest((r) => r.url().endsWith('/decision'));
    await card.getByRole('button', { name: 'Submit' }).click();
    expect(JSON.parse((await sent).postData()!)).toEqual({ action: 'accept', content: { confirm: true, note: NOTE } });
    await card.waitFor({ state: 'detached' });

    const decided = decidedItem(admin.page, 'accepted', TITLE);
    await decided.waitFor();
    const answer = await decided.locator('.decided-answer').innerText();
    expect(answer).toMatch(/Confirm[^:\n]*: Yes/);
    expect(answer).toMatch(new RegExp(`Note[^:\\n]*: ${NOTE}`));

    const accepted = approvalCard(page, 'accepted');
    await accepted.waitFor({ timeout: DECISION_TIMEOUT });
    const outcome = decided.locator('.decided-outcome:not(.muted)');
    await outcome.waitFor({ timeout: DECISION_TIMEOUT });
    const outcomeText = (await outcome.innerText()).replace(/^Outcome:\s*/, '');
    await accepted.filter({ hasText: outcomeText }).waitFor({ timeout: DECISION_TIMEOUT });
    const after = page.locator('.msg-assistant:not(.msg-extra)').nth(answersBefore);
    await after.and(page.locator('[data-state="done"]')).waitFor({ timeout: DECISION_TIMEOUT });
    await screenshot(page, 'customer-desktop-email-changed');

    expect(storedEmail(host)).toBe(NEW_EMAIL);
    const audit = queryChinook(host, 'SELECT * FROM algorhythm_email_changes');
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0])).toContain(NEW_EMAIL);
    expect(JSON.stringify(audit[0])).toContain(CUSTOMER.email);

    // The stored conversation tells the same story after a reload.
    await page.reload();
    await approvalCard(page, 'accepted').filter({ hasText: outcomeText }).waitFor();
    expect(await page.locator('.approval-card').count()).toBe(1);
    expect(decisions.length).toBe(2);
    expect(customer.problems).toEqual([]);
    expect(admin.problems.filter((p) => !/status of 400/.test(p))).toEqual([]);
  });
});

/** The form `change_email` asks for, as the page renders it: a Confirm checkbox and an optional, limited note. */
async function expectTheForm(card: Locator): Promise<void> {
  expect(await card.locator('[data-field]').evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.field))).toEqual(['confirm', 'note']);
  const confirm = card.getByRole('checkbox', { name: /Confirm/ });
  expect(await confirm.isChecked()).toBe(false);
  const note = card.getByRole('textbox', { name: /^Note/ });
  expect(await note.evaluate((el) => el.tagName)).toBe('TEXTAREA');
  expect(await card.locator('[data-field="note"] .optional').innerText()).toBe('(optional)');
  expect(await card.locator('[data-field="note"] .field-hint').innerText()).toContain('At most 500 characters.');
  for (const name of ['Submit', 'Decline', 'Dismiss']) await card.getByRole('button', { name }).waitFor();
  expect(await card.innerText()).not.toMatch(/invoice|refund/i);
}
