// What a person does on the two pages, in the words of the UI (labels, roles, visible text).
import type { Locator, Page } from 'playwright-core';

const ANSWER_TIMEOUT = 60_000;

export async function signInCustomer(page: Page, name: string): Promise<void> {
  await page.goto('/');
  const select = page.getByLabel('Sign in as a demo customer');
  await select.and(page.locator(':enabled')).waitFor();
  const value = await select.locator('option', { hasText: name }).first().getAttribute('value');
  if (!value) throw new Error(`No demo customer named ${name}`);
  await select.selectOption(value);
  await page.getByRole('button', { name: 'Start chatting' }).click();
  await page.getByLabel('Message', { exact: true }).waitFor();
  await page.locator('#account-name', { hasText: name }).waitFor();
}

/** Types a message, sends it with Enter and waits until that answer finished (or failed). */
export async function ask(page: Page, text: string): Promise<Locator> {
  const turns = page.locator('.msg-assistant:not(.msg-extra)');
  const before = await turns.count();
  const input = page.getByLabel('Message', { exact: true });
  await input.fill(text);
  await input.press('Enter');
  return waitForTurn(page, before);
}

/** Waits for assistant turn number `index` (0-based) to finish and returns it. */
export async function waitForTurn(page: Page, index: number): Promise<Locator> {
  const turn = page.locator('.msg-assistant:not(.msg-extra)').nth(index);
  await turn.and(page.locator('[data-state="done"], [data-state="error"]')).waitFor({ timeout: ANSWER_TIMEOUT });
  return turn;
}

/** The summary title names the invoice ("Refund of invoice 98 ($3.98)"); \b keeps 98 from matching 981. */
export const invoice = (id: number) => new RegExp(`invoice #?${id}\\b`, 'i');

/** Asks for a refund; if the assistant first asks to confirm, confirms. Returns the pending card. */
export async function requestRefund(page: Page, invoiceId: number): Promise<Locator> {
  const card = page.locator('.approval-card[data-status="pending"]', { hasText: invoice(invoiceId) });
  const turn = await ask(page, `I want a refund for invoice ${invoiceId}`);
  const state = await turn.getAttribute('data-state');
  if (state !== 'done') throw new Error(`The refund request ended in state ${state}: ${await turn.innerText()}`);
  if ((await card.count()) === 0) await ask(page, 'Yes, please go ahead with the refund.');
  await card.waitFor();
  return card;
}

export async function signInAdmin(page: Page, token: string): Promise<void> {
  await page.goto('/admin');
  const field = page.getByLabel('Admin token');
  await field.waitFor();
  await field.fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Waiting for a decision' }).waitFor();
}

/** The pending request card on the admin page whose text (summary title, facts) matches. */
export function pendingRequest(page: Page, text: string | RegExp): Locator {
  return page.locator('.request', { hasText: text });
}

/** A row of the admin's recent decisions, by status and text. */
export function decidedItem(page: Page, status: string, text: string | RegExp): Locator {
  return page.locator(`.decided[data-status="${status}"]`, { hasText: text });
}

export function approvalCard(page: Page, status?: string): Locator {
  return page.locator(status ? `.approval-card[data-status="${status}"]` : '.approval-card');
}
