import { execFile } from 'child_process';
import { randomBytes } from 'crypto';
import { mkdtempSync } from 'fs';
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import { tmpdir } from 'os';
import * as path from 'path';
import { promisify } from 'util';
import type { BrowserContext, Page } from 'playwright-core';
import { expectText, spawnApp, waitFor, type SpawnedApp } from '@cs/testing';
import { verifyWebhook } from '../../apps/gateway/src/admin/webhooks/webhook-signature';
import { FakeTwilio } from '../fakes/twilio/fake-twilio';
import { apiAs, consoleBrowser, embeddedEnv, printedLogin, shot, sidewaysOverflow, signIn } from './console-session';

jest.setTimeout(360_000);

const run = promisify(execFile);
const CLI = path.resolve(__dirname, '../../dist/apps/gateway/src/admin/cli/cli.js');

interface Delivery {
  body: string;
  signature: string;
}

/**
 * The settings an owner needs to run the shop without Swagger, and the operator's tenants, in
 * Chromium against `npm start`: an SMS channel set up from the connector's own form and tested
 * against our fake Twilio, an API key shown once and then revoked, a webhook tested against a
 * receiver here, and the operator (whose login the first start printed, since `npm run cli` cannot
 * open the server's PGlite) creating a tenant whose owner sees none of the demo shop.
 */
describe('the console: channels, API keys, webhooks, tenants (Chromium)', () => {
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  let twilio: FakeTwilio;
  let receiver: Server;
  const deliveries: Delivery[] = [];
  let hookUrl: string;
  let dataDir: string;
  let app: SpawnedApp;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    twilio = await FakeTwilio.start({ accountSid, authToken });
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        deliveries.push({ body, signature: String(req.headers['x-cs-signature'] ?? '') });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    dataDir = mkdtempSync(path.join(tmpdir(), 'cs-console-settings-'));
    app = await spawnApp(
      'embedded',
      { DATA_DIR: dataDir, LOG_LEVEL: 'warn', TWILIO_API_BASE_URL: twilio.url, WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' },
      { readyLine: /READY http/, readyTimeoutMs: 240_000 },
    );
    context = await consoleBrowser();
    page = context.pages()[0] ?? (await context.newPage());
    await signIn(page, app.url, printedLogin(app.logs(), 'Demo admin:'));
  });
  afterAll(async () => {
    await context?.close();
    await app?.kill();
    await twilio?.close();
    receiver?.close();
  });

  it('sets up an SMS channel from the connector’s form: a bad field named, the URL to paste shown, the connection tested', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    const form = page.getByRole('form', { name: 'Connect a channel' });
    await form.getByLabel('Channel').selectOption({ label: 'SMS (Twilio)' });
    await form.getByLabel(/^Account SID/).fill(accountSid);
    await form.getByLabel(/^Auth Token/).fill(authToken);
    expect(await form.getByLabel(/^Auth Token/).getAttribute('type')).toBe('password');
    await form.getByLabel(/^Phone numbers/).fill('0415 555 0199');
    await form.getByRole('button', { name: 'Connect' }).click();
    await expectText(form.getByRole('alert'), /E\.164/);

    await form.getByLabel(/^Phone numbers/).fill('+14155550199');
    await form.getByRole('button', { name: 'Connect' }).click();
    const account = page.locator('[data-channel-account="twilio-sms"]');
    await account.waitFor();
    const accounts = await apiAs<{ items: { id: string; connectorId: string }[] }>(page, '/channel-accounts');
    const id = accounts.body.items.find((a) => a.connectorId === 'twilio-sms')!.id;
    await expectText(account.locator('[data-vendor-url]'), new RegExp(`/hooks/twilio-sms/${id}$`));
    await expectText(account.locator(`[data-test-result="${id}"]`), /^Connected/);
    // Tested for real: Twilio was asked for the account with the credentials typed into the form.
    expect(twilio.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/Accounts/${accountSid}.json`)).map((r) => r.auth)).toContain(`${accountSid}:${authToken}`);
    await shot(page, 'settings-channels');
  });

  it('creates an API key shown once, which works until it is revoked', async () => {
    const form = page.getByRole('form', { name: 'Create an API key' });
    await form.getByLabel('Name').fill('Reporting script');
    await form.getByLabel('For').selectOption({ label: 'Console API as an agent' });
    await form.getByRole('button', { name: 'Create key' }).click();
    const key = (await page.locator('[data-key-value]').textContent())!.trim();
    expect(key).toMatch(/^cs_/);
    const asKey = () => fetch(`${app.url}/api/v1/conversations`, { headers: { Authorization: `Bearer ${key}` } }).then((r) => r.status);
    expect(await asKey()).toBe(200);
    await page.getByRole('button', { name: 'I have copied it' }).click();
    expect(await page.locator('[data-key-value]').count()).toBe(0);

    page.once('dialog', (dialog) => { dialog.accept().catch(() => undefined); });
    await page.getByRole('button', { name: 'Revoke Reporting script' }).click();
    await page.locator('[data-api-key="Reporting script"][data-revoked="true"]').waitFor();
    expect(await asKey()).toBe(401);
  });

  it('adds a webhook (secret shown once), sends a signed test to it, edits its events and deletes it', async () => {
    const form = page.getByRole('form', { name: 'Add a webhook' });
    await form.getByLabel(/^URL/).fill(hookUrl);
    await form.getByLabel('handoff').check();
    await form.getByRole('button', { name: 'Add webhook' }).click();
    const secret = (await page.locator('[data-webhook-secret] pre').textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);

    const hook = page.locator(`[data-webhook="${hookUrl}"]`);
    await expectText(hook.locator('p.muted'), /^handoff · last delivery/);
    await hook.getByRole('button', { name: 'Send a test' }).click();
    await expectText(hook.locator('[data-ping-result]'), /The endpoint accepted the test/);
    const ping = await waitFor(() => deliveries.find((d) => JSON.parse(d.body).type === 'ping'), { what: 'the ping at the receiver' });
    expect(verifyWebhook(secret, ping.body, ping.signature)).toBe(true);
    await shot(page, 'settings-webhooks');

    await hook.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: `Edit the webhook to ${hookUrl}` });
    await edit.getByLabel('resolved').check();
    await edit.getByRole('button', { name: 'Save webhook' }).click();
    await expectText(hook.locator('p.muted'), /^handoff, resolved ·/);
    const stored = await apiAs<{ items: { url: string; events: string[] }[] }>(page, '/webhooks');
    expect(stored.body.items.find((w) => w.url === hookUrl)?.events).toEqual(['handoff', 'resolved']);

    page.once('dialog', (dialog) => { dialog.accept().catch(() => undefined); });
    await hook.getByRole('button', { name: 'Delete' }).click();
    await waitFor(async () => (await hook.count()) === 0, { what: 'the webhook gone' });
    expect((await apiAs<{ items: unknown[] }>(page, '/webhooks')).body.items).toEqual([]);

    await page.setViewportSize({ width: 390, height: 844 });
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('the operator creates a tenant in the console while `npm run cli` refuses the running server’s data; its owner sees none of the demo shop', async () => {
    const cli = await run(process.execPath, [CLI, 'create-admin', '--email', 'x@y.test', '--password', 'long enough password', '--tenant', 'x'], {
      env: { ...embeddedEnv(), DATA_DIR: dataDir },
    }).then(() => null, (err: { code: number; stderr: string }) => err);
    expect(cli?.code).toBe(1);
    expect(cli?.stderr).toContain(`${app.url.replace('127.0.0.1', 'localhost')}/console`);
    expect(cli?.stderr).toMatch(/operator creates tenants/);

    await signIn(page, app.url, printedLogin(app.logs(), 'Operator:'));
    await expectText(page.locator('h1'), /Tenants/);
    await page.locator('[data-tenant="demo"]').waitFor();
    const form = page.getByRole('form', { name: 'Create a tenant' });
    await form.getByLabel('Shop name').fill('Second Shop');
    await form.getByLabel(/^Slug/).fill('second-shop');
    await form.getByLabel('First owner’s email').fill('owner@second.shop');
    await form.getByLabel('First owner’s name').fill('Sam Second');
    await form.getByLabel(/First owner’s password/).fill('a long first password');
    await form.getByRole('button', { name: 'Create tenant' }).click();
    await expectText(page.locator('[data-tenant-created]'), /Created Second Shop \(second-shop\)/);
    await page.locator('[data-tenant="second-shop"]').waitFor();
    await page.getByRole('button', { name: 'Usage of Second Shop' }).click();
    await expectText(page.locator('[data-tenant="second-shop"] [data-usage]'), /^0 in, 0 out, 0 resolved by the bot$/);
    await shot(page, 'tenants');
    // The same slug again: refused, saying why.
    await form.getByLabel('Shop name').fill('Again');
    await form.getByLabel(/^Slug/).fill('second-shop');
    await form.getByLabel('First owner’s email').fill('other@second.shop');
    await form.getByLabel(/First owner’s password/).fill('a long first password');
    await form.getByRole('button', { name: 'Create tenant' }).click();
    await expectText(page.locator('.settings [role="alert"]'), /second-shop.+taken/);

    await signIn(page, app.url, { email: 'owner@second.shop', password: 'a long first password' });
    await expectText(page.locator('h1'), /Inbox/);
    expect((await apiAs<{ items: unknown[] }>(page, '/conversations')).body.items).toEqual([]);
    expect((await apiAs<{ items: unknown[] }>(page, '/knowledge/articles')).body.items).toEqual([]);
  });
});
