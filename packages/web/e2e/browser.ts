// Debian's Chromium driven by playwright-core (never `playwright install`), plus screenshot and page helpers.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { artifactsDir, chromiumPath } from './paths.ts';

export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 375, height: 740 };

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface TrackedPage {
  page: Page;
  context: BrowserContext;
  /** Uncaught page errors and console errors, to attach to failures. */
  problems: string[];
}

/** A fresh browser context (its own cookies and storage: one person) with one page. */
export async function openPage(browser: Browser, baseURL: string, viewport = DESKTOP): Promise<TrackedPage> {
  const context = await browser.newContext({ baseURL, viewport, locale: 'en-US', timezoneId: 'UTC' });
  context.setDefaultTimeout(30_000);
  // No network beyond this machine (a provider's page may link web fonts): everything else is refused.
  await context.route((url) => !['127.0.0.1', 'localhost'].includes(url.hostname), (route) => route.abort('blockedbyclient'));
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // The admin page asks for the queue to learn whether it is signed in; that 401 is expected.
    // Requests refused by the no-network rule above are the test's own doing.
    if (message.type() === 'error' && !/Failed to load resource: .* 401|ERR_BLOCKED_BY_CLIENT/.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
  return { page, context, problems };
}

export async function screenshot(page: Page, name: string, fullPage = false): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path, fullPage, animations: 'disabled', caret: 'hide' });
  return path;
}
