import { mkdirSync, mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { chromiumPath } from '@cs/testing';

/** Where the pages' screenshots go: `SCREENSHOTS_DIR=docs/console` refreshes the README's images. */
export const SHOTS = path.resolve(process.env.SCREENSHOTS_DIR ?? '.tmp/console-screenshots');

/** Debian's Chromium with its own profile, for the console specs. */
export async function consoleBrowser(): Promise<BrowserContext> {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launchPersistentContext(mkdtempSync(path.join(tmpdir(), 'cs-console-chromium-')), {
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 800 },
  });
}

export const shot = (page: Page, name: string, fullPage = false) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });

/** The login a first start printed on a line beginning with `label` (`Demo admin:`, `Operator:`). */
export function printedLogin(logs: string, label: string): { email: string; password: string } {
  const match = new RegExp(`${label}\\s+(\\S+) / (\\S+)`).exec(logs);
  if (!match) throw new Error(`the start printed no "${label}" login`);
  return { email: match[1], password: match[2] };
}

export async function signIn(page: Page, baseUrl: string, login: { email: string; password: string }): Promise<void> {
  await page.goto(`${baseUrl}/console`);
  if (await page.getByRole('button', { name: 'Sign out' }).isVisible()) await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Email').fill(login.email);
  await page.getByLabel('Password').fill(login.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 15_000 });
}

/** The REST API as the signed-in person of `page` (the console's own session): what the test compares the page with. */
export function apiAs<T>(page: Page, path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: T }> {
  return page.evaluate(
    async ({ path, init }) => {
      const session = JSON.parse(sessionStorage.getItem('cs-console-session') ?? '{}') as { accessToken?: string };
      const res = await fetch(`/api/v1${path}`, {
        method: init.method ?? 'GET',
        headers: { Authorization: `Bearer ${session.accessToken ?? ''}`, ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      return { status: res.status, body: res.status === 204 ? null : await res.json() };
    },
    { path, init },
  ) as Promise<{ status: number; body: T }>;
}

/** The page is no wider than the window (nothing to scroll sideways on a phone). */
export function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** This process's environment without the distributed mode's database and bus: a CLI then works on PGlite in DATA_DIR. */
export function embeddedEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.NATS_URL;
  return env;
}
