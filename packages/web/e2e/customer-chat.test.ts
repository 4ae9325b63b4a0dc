// Customer page against the real agent host on the offline model: sign-in, a streamed catalog answer,
// history across a reload, errors shown as messages.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, PHONE, launchBrowser, openPage, screenshot, type TrackedPage } from './browser.ts';
import { startHost, type RunningHost } from './host.ts';
import { ask, signInCustomer, waitForTurn } from './pages.ts';

describe('customer chat', () => {
  let host: RunningHost;
  let browser: Browser;
  let customer: TrackedPage;
  let page: Page;

  beforeAll(async () => {
    host = await startHost();
    browser = await launchBrowser();
    customer = await openPage(browser, host.url);
    page = customer.page;
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('signs in a demo customer by name and shows the offline model', async () => {
    await page.goto('/');
    await page.getByRole('heading', { name: 'Welcome to Algorhythm' }).waitFor();
    await page.getByLabel('Sign in as a demo customer').and(page.locator(':enabled')).waitFor();
    await screenshot(page, 'customer-desktop-signin');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'customer-phone-signin');
    await page.setViewportSize(DESKTOP);

    await signInCustomer(page, 'Luís Gonçalves');
    expect(await page.locator('#model-badge').textContent()).toContain('Offline');
    // The customer's id is a form value, never text on the page.
    expect(await page.locator('header').innerText()).not.toMatch(/\d/);
    await page.getByRole('list', { name: 'Example questions' }).waitFor();
    await screenshot(page, 'customer-desktop-welcome');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'customer-phone-welcome');
    await page.setViewportSize(DESKTOP);
  });

  it('answers a music question with real catalog data, showing the specialist and its tools', async () => {
    await page.getByRole('button', { name: /What albums does AC\/DC have\?/ }).click();
    const turn = await waitForTurn(page, 0);
    expect(await turn.getAttribute('data-state')).toBe('done');
    expect(await turn.locator('.agent-badge').textContent()).toBe('Music Expert');
    const text = await turn.locator('.msg-text').innerText();
    // Chinook's two AC/DC albums.
    expect(text).toContain('For Those About To Rock We Salute You');
    expect(text).toContain('Let There Be Rock');
    expect(await turn.locator('.tool[data-status="done"]').count()).toBeGreaterThan(0);
    expect(await turn.locator('.tool').first().innerText()).toMatch(/\S/);
    // Focus is back in the message box, and the answer was announced for screen readers.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('composer-input');
    await page.waitForFunction(() => document.getElementById('announcer')?.textContent?.includes('Music Expert'));
    expect(customer.problems).toEqual([]);
    await screenshot(page, 'customer-desktop-music-answer');
  });

  it('routes an order question to the support rep in the same conversation', async () => {
    const turn = await ask(page, 'Show me my recent orders');
    expect(await turn.getAttribute('data-state')).toBe('done');
    expect(await turn.locator('.agent-badge').textContent()).toBe('Support Rep');
    expect(await turn.locator('.msg-text').innerText()).toMatch(/\S/);
  });

  it('keeps the conversation across a reload', async () => {
    const before = await page.locator('.messages > li').allInnerTexts();
    await page.reload();
    await page.locator('.msg-user', { hasText: 'What albums does AC/DC have?' }).waitFor();
    await page.locator('.msg-user', { hasText: 'Show me my recent orders' }).waitFor();
    const answer = page.locator('.msg-assistant', { hasText: 'Let There Be Rock' });
    await answer.waitFor();
    expect(await answer.locator('.agent-badge').textContent()).toBe('Music Expert');
    expect(await page.locator('.msg-user').count()).toBe(2);
    expect(await page.locator('.msg-assistant:not(.msg-extra)').count()).toBe(before.length - 2);
    await page.setViewportSize(PHONE);
    await screenshot(page, 'customer-phone-conversation');
    await page.setViewportSize(DESKTOP);
  });

  it('keeps Shift+Enter as a new line and Enter as send', async () => {
    const input = page.getByLabel('Message', { exact: true });
    await input.fill('');
    await input.type('first line');
    await input.press('Shift+Enter');
    await input.type('second line');
    expect(await input.inputValue()).toBe('first line\nsecond line');
    await input.fill('');
  });

  it('shows a refused request as a message, not a dead spinner', async () => {
    // Over the host's 8 KB message limit (2 bytes per character): the host answers 413 { error }.
    const turns = await page.locator('.msg-assistant:not(.msg-extra)').count();
    const input = page.getByLabel('Message', { exact: true });
    await input.fill('é'.repeat(6000));
    await input.press('Enter');
    const turn = await waitForTurn(page, turns);
    expect(await turn.getAttribute('data-state')).toBe('error');
    expect(await turn.getByRole('alert').innerText()).toMatch(/\S/);
    expect(await turn.locator('.typing, .spinner').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Send' }).isEnabled()).toBe(true);
    await input.fill('');
  });

  it('starts a new conversation and signs out', async () => {
    await page.getByRole('button', { name: /New/ }).first().click();
    await page.getByRole('list', { name: 'Example questions' }).waitFor();
    expect(await page.locator('.messages > li').count()).toBe(0);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Welcome to Algorhythm' }).waitFor();
    const session = await page.request.get('/api/session');
    expect((await session.json()).customer).toBeNull();
  });
});
