import { execFile } from 'child_process';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { promisify } from 'util';
import type { BrowserContext, Page } from 'playwright-core';
import { expectText, spawnApp, waitFor, type SpawnedApp } from '@cs/testing';
import { FakeShopify, type FakeOrder } from '../fakes/shopify/fake-shopify';
import { apiAs, consoleBrowser, embeddedEnv, printedLogin, shot, sidewaysOverflow, signIn } from './console-session';

jest.setTimeout(420_000);

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

/**
 * The console's pages for the staff's day beyond the inbox, in Chromium against `npm start` with
 * the Shopify client pointed at our fake store: the approval queue (an approved cancel cancels the
 * order and the customer reads it), the contact panel (a duplicate merged shows both identities),
 * and a bulk import whose articles then answer in "try it".
 */
describe('the console: approvals, contacts, knowledge import (Chromium)', () => {
  let shop: FakeShopify;
  let dataDir: string;
  let app: SpawnedApp;
  let context: BrowserContext;
  let staff: Page;
  let customer: Page;
  let order: FakeOrder;
  let conversationId: string;

  const start = () => spawnApp('embedded', { DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, { readyLine: /READY http/, readyTimeoutMs: 240_000 });
  const connectShop = () =>
    run(process.execPath, [path.join(ROOT, 'dist/apps/agent/src/actions/connect-backend.cli.js'), '--tenant', 'demo', '--backend', 'shopify', '--name', 'Fake store',
      '--settings', JSON.stringify({ shopDomain: 'demo-shop.myshopify.com', apiVersion: '2025-10', apiBaseUrl: shop.origin })], {
      env: { ...embeddedEnv(), DATA_DIR: dataDir, ACTION_BACKEND_SECRETS: JSON.stringify({ accessToken: shop.accessToken }) },
    });

  beforeAll(async () => {
    shop = await new FakeShopify().start();
    dataDir = mkdtempSync(path.join(tmpdir(), 'cs-console-staff-'));
    app = await start();
    context = await consoleBrowser();
    staff = context.pages()[0] ?? (await context.newPage());
    customer = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
    await app?.kill();
    await shop?.stop();
  });

  it('a CLI refuses the DATA_DIR the running server holds, saying what to do; stopped, it connects the shop', async () => {
    const refused = await connectShop().then(() => null, (err: { code: number; stderr: string }) => err);
    expect(refused?.code).toBe(1);
    expect(refused?.stderr).toContain(`held by the embedded server (process ${app.proc.pid}, http://localhost:${app.port})`);

    await app.kill('SIGTERM');
    await connectShop();
    app = await start();
    await signIn(staff, app.url, printedLogin(app.logs(), 'Demo admin:'));
    const saved = await apiAs(staff, '/settings', { method: 'PATCH', body: { actionPermissions: { cancel_order: 'approval' } } });
    expect(saved.status).toBe(200);
  });

  it('shows a parked cancel live, and approving it cancels the order and tells the customer', async () => {
    await staff.getByRole('link', { name: 'Approvals' }).click();
    await staff.locator('[data-approvals-empty]').waitFor();

    order = [...shop.orders.values()].find((o) => o.tau.status === 'pending' && !o.cancelledAt) as FakeOrder;
    await customer.goto(`${app.url}/`);
    const say = async (text: string, nth: number) => {
      await customer.locator('[data-cs-input]').fill(text);
      await customer.locator('[data-cs-send]').click();
      await waitFor(async () => (await customer.locator('[data-cs-message][data-author="bot"]').count()) >= nth, { timeoutMs: 60_000, what: `the bot's answer to "${text}"` });
    };
    await say(`I want to cancel order ${order.name}, my email is ${order.email}`, 1);
    await say('yes', 2);
    await expectText(customer.locator('[data-cs-message][data-author="bot"]').last(), /asked our team to approve/);

    // The open page shows it without a reload.
    const item = staff.locator('[data-approval][data-approval-status="awaiting_approval"]');
    await expectText(item.first(), new RegExp(`Cancel the order\\s*${order.name}`));
    expect(shop.cancelCalls(order)).toBe(0);
    await shot(staff, 'approvals');
    conversationId = (await item.first().getByRole('link', { name: 'the conversation' }).getAttribute('href'))!.split('/').pop()!;

    await item.first().getByLabel(/Note for the team/).fill('regular customer');
    await item.first().getByRole('button', { name: 'Approve' }).click();
    await expectText(staff.locator('[data-approval-outcome]'), new RegExp(`${order.name}: Approved and done; the customer was told`));
    expect(shop.cancelCalls(order)).toBe(1);
    await expectText(customer.locator('[data-cs-message][data-author="bot"]').last(), new RegExp(`Done: order ${order.name} has been cancelled`));
    await staff.getByLabel('Decided').check();
    await expectText(staff.locator(`[data-approval][data-approval-status="done"]`).first(), /Note: regular customer/);

    await staff.setViewportSize({ width: 390, height: 844 });
    expect(await sidewaysOverflow(staff)).toBeLessThanOrEqual(0);
    await staff.setViewportSize({ width: 1280, height: 800 });
  });

  it('merges a duplicate contact into the customer: both identities and both conversations, the duplicate gone', async () => {
    const apiKey = /Demo API key:\s+(\S+)/.exec(app.logs())![1];
    const external = `dana-${Date.now()}`;
    const asked = await fetch(`${app.url}/api/v1/channels/api/messages`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: 'Hello, is my order on its way?', contact: { externalId: external, name: 'Dana Duplicate' } }),
    });
    expect(asked.status).toBeLessThan(300);
    const duplicateConversation = ((await asked.json()) as { conversationId: string }).conversationId;
    const duplicate = (await apiAs<{ contact: { id: string } }>(staff, `/conversations/${duplicateConversation}`)).body.contact.id;

    await staff.goto(`${app.url}/console/inbox/${conversationId}`);
    await staff.getByText('Contact, channels and past conversations').click();
    const panel = staff.locator('.contact-panel');
    await panel.locator('[data-identity="webchat"]').waitFor();
    expect(await panel.locator('[data-identity="api"]').count()).toBe(0);
    await panel.getByText('Merge a duplicate into this contact').click();
    await panel.getByLabel('Name, email, phone or address').fill('Dana Duplicate');
    await panel.getByRole('button', { name: 'Find' }).click();
    staff.once('dialog', (dialog) => { dialog.accept().catch(() => undefined); });
    await panel.locator(`[data-merge-candidate="${duplicate}"]`).getByRole('button', { name: /Merge/ }).click();

    await expectText(panel.locator('[data-merge-status]'), /Merged Dana Duplicate into this contact/);
    await expectText(panel.locator('[data-identity="api"]'), new RegExp(`${external} \\(Dana Duplicate\\)`));
    await panel.locator('[data-identity="webchat"]').waitFor();
    await panel.locator(`[data-past-conversation="${duplicateConversation}"]`).waitFor();
    await shot(staff, 'contact-panel', true);
    const survivor = panel.getAttribute('data-contact');
    const merged = await apiAs<{ identities: { channel: string }[]; conversations: { id: string }[] }>(staff, `/contacts/${await survivor}`);
    expect(merged.body.identities.map((i) => i.channel).sort()).toEqual(['api', 'webchat']);
    expect(merged.body.conversations.map((c) => c.id)).toEqual(expect.arrayContaining([conversationId, duplicateConversation]));
    expect((await apiAs(staff, `/contacts/${duplicate}`)).status).toBe(404);
  });

  it('imports articles with progress, names the file that failed, and "try it" answers from an imported one', async () => {
    await staff.getByRole('link', { name: 'Knowledge' }).click();
    await staff.getByText('Import articles from files').click();
    await staff.getByLabel(/^Files/).setInputFiles([
      { name: 'gift-wrapping.md', mimeType: 'text/markdown', buffer: Buffer.from('# Gift wrapping\n\nGift wrapping costs 4 euros per parcel. Tick "gift wrap" at checkout and we add a handwritten card.\n') },
      { name: 'more.csv', mimeType: 'text/csv', buffer: Buffer.from('title,body\nLoyalty points,Every euro spent earns one loyalty point; 100 points take 5 euros off.\nStore hours,Our Lisbon store opens 10:00 to 19:00 Monday to Saturday.\n') },
      { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"title": "no end"') },
    ]);
    await staff.getByRole('button', { name: 'Import' }).click();

    const status = staff.locator('[data-import-status]');
    await status.waitFor();
    await staff.locator('[data-import-status="done"]').waitFor({ timeout: 60_000 });
    await expectText(status.locator('label'), /Imported: 3 of 3 articles/);
    expect(await status.locator('progress').evaluate((p: HTMLProgressElement) => [p.value, p.max])).toEqual([3, 3]);
    await expectText(staff.locator('[data-import-counts]'), /3 new, 0 updated, 0 unchanged, 1 failed/);
    await expectText(staff.locator('[data-import-error="broken.json"]'), /broken\.json.+JSON/);
    await staff.locator('[data-article="gift-wrapping"]').waitFor();
    await shot(staff, 'knowledge-import');

    await staff.getByLabel('Question').fill('How much does gift wrapping cost?');
    await staff.getByRole('button', { name: 'Ask the agent' }).click();
    await expectText(staff.locator('[data-try-answer]'), /4 euros/, 30_000);
  });
});
