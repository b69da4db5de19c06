import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { chromium, type Page } from 'playwright-core';
import { chromiumPath, spawnApp, type SpawnedApp } from '@cs/testing';
import { summarize } from './stats';

/**
 * `npm run bench:console [-- --json] [--rounds N]`: the staff console in Debian's Chromium against
 * the embedded mode on the demo data. How long each page takes from navigation to its content, and
 * how long a customer's hand-off (API channel) takes to appear in the open inbox without a reload.
 * Goals (issue 17): pages under 1 s, the inbox within 1 s of the customer's message.
 */
const args = process.argv.slice(2);
const json = args.includes('--json');
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 10;
const log = (line: string) => (json ? process.stderr.write(line + '\n') : console.log(line));

/** Each page and what shows that it has loaded its data. */
const PAGES: { name: string; path: (conversationId: string) => string; ready: string }[] = [
  { name: 'inbox', path: () => '/console/inbox', ready: '[data-conversation]' },
  { name: 'conversation', path: (id) => `/console/inbox/${id}`, ready: '[data-open-conversation] [data-author="bot"]' },
  { name: 'approvals', path: () => '/console/approvals', ready: '[data-approvals-empty], [data-approval]' },
  { name: 'knowledge', path: () => '/console/knowledge', ready: '[data-article]' },
  { name: 'analytics', path: () => '/console/analytics', ready: '[data-chart="volume"] canvas' },
  { name: 'settings', path: () => '/console/settings', ready: 'table tbody tr' },
];

async function main(): Promise<void> {
  let app: SpawnedApp | undefined;
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    log('starting the embedded app on a fresh data folder...');
    app = await spawnApp('embedded', { LOG_LEVEL: 'warn', DATA_DIR: mkdtempSync(path.join(tmpdir(), 'cs-console-bench-')) }, { readyLine: /READY http/, readyTimeoutMs: 120_000 });
    const [, email, password] = /Demo admin:\s+(\S+) \/ (\S+)/.exec(app.logs()) ?? [];
    const [, apiKey] = /Demo API key:\s+(\S+)/.exec(app.logs()) ?? [];
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${app.url}/console`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('[data-live-state="connected"]').waitFor({ timeout: 30_000 });

    const ask = (contact: string) =>
      fetch(`${app!.url}/api/v1/channels/api/messages?wait=10000`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'I want to talk to a person please', contact: { externalId: contact } }),
      }).then(async (res) => ((await res.json()) as { conversationId: string }).conversationId);

    log('warming up: the agent answers once...');
    await ask('warm-up');

    log(`live inbox: ${rounds} customers ask for a person while the inbox is open...`);
    const live: number[] = [];
    let conversationId = '';
    for (let i = 0; i < rounds; i++) {
      const waiting = page.locator('[data-conversation][data-status="waiting"]');
      const before = await waiting.count();
      const started = performance.now();
      const asked = ask(`bench-${i}`);
      await waitForCount(page, '[data-conversation][data-status="waiting"]', before + 1);
      live.push(performance.now() - started);
      conversationId = await asked;
    }

    log(`pages: each loaded ${rounds} times...`);
    const pages: Record<string, ReturnType<typeof summarize>> = {};
    for (const { name, path: to, ready } of PAGES) {
      const times: number[] = [];
      for (let i = 0; i < rounds; i++) {
        const started = performance.now();
        await page.goto(`${app.url}${to(conversationId)}`);
        await page.locator(ready).first().waitFor({ timeout: 30_000 });
        times.push(performance.now() - started);
      }
      pages[name] = summarize(times);
    }

    const result = {
      machine: { cores: require('os').cpus().length, node: process.version },
      rounds,
      liveInboxMs: summarize(live),
      pageLoadMs: pages,
      goals: { pageLoadMs: 1000, liveInboxMs: 1000 },
    };
    if (json) console.log(JSON.stringify(result));
    else {
      console.log('\nresult');
      console.log(`  live inbox  customer's message → row in the open inbox: p50 ${result.liveInboxMs.p50} ms  p95 ${result.liveInboxMs.p95} ms`);
      for (const [name, s] of Object.entries(pages)) console.log(`  page        ${name.padEnd(13)} navigation → content: p50 ${s.p50} ms  p95 ${s.p95} ms`);
      console.log('  goals       pages < 1000 ms; the inbox < 1000 ms after the message');
    }
  } finally {
    await browser.close();
    await app?.kill();
  }
}

/** Resolves once `selector` matches at least `count` elements (the page updates itself: no reload). */
async function waitForCount(page: Page, selector: string, count: number): Promise<void> {
  await page.waitForFunction(([s, n]) => document.querySelectorAll(s as string).length >= (n as number), [selector, count] as const, { timeout: 30_000, polling: 'raf' });
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
