/** Browser helpers shared by the real-server journeys. */
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { SCREENSHOTS } from './real-server.js';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
  });
}

/**
 * A fresh browser context per journey. Console errors and uncaught exceptions are collected so
 * each journey can assert there were none; `expectedFailures` lists request paths a journey
 * fails on purpose (Chromium logs each failed response as a console error).
 */
export async function openPage(browser: Browser, options: BrowserContextOptions = {}, expectedFailures: (string | RegExp)[] = []) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...options });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const url = message.location().url;
    const path = url ? new URL(url).pathname : '';
    const expected =
      message.text().startsWith('Failed to load resource') &&
      expectedFailures.some((failure) => (typeof failure === 'string' ? path === failure : failure.test(path)));
    if (!expected) problems.push(`console: ${message.text()} (${url})`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return { page, problems, close: () => context.close() };
}

/** Lets enter transitions finish so screenshots show the settled UI. */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(async () => {
    for (let i = 0; i < 2; i++) await new Promise(requestAnimationFrame);
    await Promise.all(document.getAnimations().map((animation) => animation.finished.catch(() => undefined)));
  });
}

export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  await settle(page);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });
}
