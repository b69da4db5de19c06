import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { expectText, launchChromium, spawnApp, waitFor, type SpawnedApp } from '@cs/testing';

jest.setTimeout(180_000);

/**
 * The widget in real Chromium against `npm start` (the embedded app, a temp DATA_DIR): a visitor
 * asks on the demo shop page, gets the answer from the delivery article with a link to it, reloads,
 * and finds the conversation still there, with nothing lost or repeated; says the answer helped.
 */
describe('chat widget on the demo shop page (Chromium)', () => {
  let app: SpawnedApp;
  let browser: Browser;
  let page: Page;
  // Kept across a restart of the app: same data, same address.
  const env = { LOG_LEVEL: 'warn', DATA_DIR: mkdtempSync(path.join(tmpdir(), 'cs-widget-e2e-')) };
  const start = (extra: Record<string, string> = {}) =>
    spawnApp('embedded', { ...env, ...extra }, { readyLine: /READY http/, readyTimeoutMs: 120_000 });

  beforeAll(async () => {
    app = await start();
    browser = await launchChromium();
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.kill();
  });

  const contactMessages = () => page.locator('[data-cs-message][data-author="contact"]');
  const botMessages = () => page.locator('[data-cs-message][data-author="bot"]');

  it('answers "how long does delivery take?" from the delivery article, with a link to it', async () => {
    await page.goto(`${app.url}/`);
    await expectText(page.locator('h1'), /Demo Shop/);
    const input = page.locator('[data-cs-input]');
    await input.waitFor({ state: 'visible', timeout: 10_000 });

    // Records whether the typing indicator was shown at any moment while the agent worked.
    await page.evaluate(() => {
      const typing = document.querySelector('[data-cs-typing]')!;
      const w = window as unknown as { typingSeen: boolean };
      w.typingSeen = false;
      new MutationObserver(() => {
        if (!typing.hasAttribute('hidden')) w.typingSeen = true;
      }).observe(typing, { attributes: true });
    });
    await input.fill('how long does delivery take?');
    await page.locator('[data-cs-send]').click();

    await expectText(contactMessages().first(), /how long does delivery take\?/);
    await botMessages().first().waitFor({ timeout: 30_000 });
    await expectText(botMessages().first(), /working days/i);
    expect(await page.evaluate(() => (window as unknown as { typingSeen: boolean }).typingSeen)).toBe(true);
    expect(await page.locator('[data-cs-typing]').isVisible()).toBe(false);
    const link = botMessages().first().locator('a[href*="/kb/delivery-times"]').first();
    await link.waitFor({ timeout: 5_000 });

    // The link leads to the article page the gateway renders.
    const href = await link.getAttribute('href');
    const article = await fetch(new URL(href!, app.url));
    expect(article.status).toBe(200);
    expect(await article.text()).toContain('Delivery times');
  });

  it('restores the conversation after a reload, without repeating a message', async () => {
    await page.reload();
    await botMessages().first().waitFor({ timeout: 15_000 });
    await expectText(contactMessages().first(), /how long does delivery take\?/);
    await expectText(botMessages().first(), /working days/i);
    // Give late frames a moment: a repeat would show up as a second copy.
    await page.waitForTimeout(500);
    expect(await contactMessages().count()).toBe(1);
    expect(await botMessages().count()).toBe(1);
    expect(await page.locator('[data-cs-message][data-pending]').count()).toBe(0);
  });

  it('keeps a message typed while the server is down and delivers it once after the reconnect', async () => {
    const port = String(app.port);
    await app.kill('SIGTERM');
    await page.locator('[data-cs-input]').fill('how do I return an item?');
    await page.locator('[data-cs-send]').click();
    expect(await page.locator('[data-cs-message][data-pending]').count()).toBe(1);

    app = await start({ PORT: port });
    await waitFor(async () => (await botMessages().count()) === 2, { timeoutMs: 45_000, what: 'the answer after the reconnect' });
    await expectText(botMessages().nth(1), /return/i);
    await page.reload();
    await waitFor(async () => (await botMessages().count()) === 2, { timeoutMs: 15_000, what: 'history after reload' });
    await page.waitForTimeout(500);
    expect(await contactMessages().count()).toBe(2);
    expect(await botMessages().count()).toBe(2);
  });

  it('asks under the newest answer whether it helped; "Yes" (by keyboard) is stored, then a rating', async () => {
    const question = botMessages().nth(1).locator('[data-cs-feedback]');
    await question.waitFor({ timeout: 10_000 });
    expect(await botMessages().first().locator('[data-cs-feedback]').count()).toBe(0);
    expect(await question.getAttribute('aria-label')).toBe('Did this answer your question?');
    await question.locator('[data-cs-feedback-yes]').press('Enter');

    await expectText(question, /rate this chat/i);
    await question.locator('[data-cs-rating="5"]').press('Enter');
    await expectText(question, /thank you for your rating/i);

    // Stored: the history now holds the customer's answer, and nothing asks again.
    await page.reload();
    await waitFor(async () => (await contactMessages().count()) === 3, { timeoutMs: 15_000, what: 'the stored answer in the history' });
    await expectText(contactMessages().nth(2), /Yes, this answered my question/);
    await page.waitForTimeout(500);
    expect(await page.locator('[data-cs-feedback]').count()).toBe(0);
  });
});
