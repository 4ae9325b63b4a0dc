// The default start is labelled demo mode, and a customer over the message limit sees which limit and when to
// try again, in the chat, with the message kept for the retry (the host answered 429 and stored nothing).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot, type TrackedPage } from './browser.ts';
import { startHost, type RunningHost } from './host.ts';
import { ask, signInCustomer } from './pages.ts';

describe('limits in the chat', () => {
  let host: RunningHost;
  let browser: Browser;
  let customer: TrackedPage;

  beforeAll(async () => {
    host = await startHost({ env: { LIMIT_MESSAGES_PER_MINUTE: '2' } });
    browser = await launchBrowser();
    customer = await openPage(browser, host.url);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('labels demo mode, then tells a customer over the message limit when to retry', async () => {
    const page = customer.page;
    await page.goto('/');
    await page.locator('#demo-mode').waitFor();
    expect(await page.locator('#demo-mode').innerText()).toContain('Anyone can sign in as any customer');
    await signInCustomer(page, 'Frank Harris');
    for (const question of ['What genres do you have?', 'Show me albums by AC/DC']) {
      expect(await (await ask(page, question)).getAttribute('data-state')).toBe('done');
    }
    const refused = await ask(page, 'And albums by Queen?');
    expect(await refused.getAttribute('data-state')).toBe('error');
    expect(await refused.innerText()).toMatch(/\(at most 2 in a minute\)\. Please wait (\d+ seconds?|1 minute) and try again\./);
    expect(await page.getByLabel('Message', { exact: true }).inputValue()).toBe('And albums by Queen?');
    await screenshot(page, 'customer-desktop-rate-limited');
    expect(customer.problems.filter((p) => !/status of 429/.test(p))).toEqual([]);
  });
});
