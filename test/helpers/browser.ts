import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumPath } from './test-env';

/** Debian's Chromium, headless, as the widget specs drive it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Waits until the element's text matches (the page updates on its own time), else fails with what it showed. */
export async function expectText(locator: ReturnType<Page['locator']>, pattern: RegExp, timeoutMs = 15_000): Promise<void> {
  await locator.waitFor({ timeout: timeoutMs });
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = (await locator.textContent()) ?? '';
    if (pattern.test(text)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`expected text matching ${pattern}, got "${text}"`);
}
