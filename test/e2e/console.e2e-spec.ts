import { mkdirSync, mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { chromiumPath, spawnApp, waitFor, type SpawnedApp } from '@cs/testing';

jest.setTimeout(240_000);

/** Where the pages' screenshots go: `SCREENSHOTS_DIR=docs/console` refreshes the README's images. */
const SHOTS = path.resolve(process.env.SCREENSHOTS_DIR ?? '.tmp/console-screenshots');

interface Analytics {
  conversations: number;
  volume: { messages: number }[];
  handoff: { conversations: number };
  firstHumanReplyAfterHandoffSeconds: { p50: number | null };
  topIntents: { conversations: number }[];
}

/**
 * The staff's web console in Debian's Chromium against `npm start` (the embedded app, a temp
 * DATA_DIR), signed in with the admin login the first start prints: a customer on the demo shop
 * asks for a person, the open inbox shows it without a reload (with a notification), the person
 * replies and the customer reads it, resolves; an article is edited and "try it" answers from the
 * new text; the analytics charts show the numbers the API returns.
 */
describe('the staff console at /console (Chromium)', () => {
  let app: SpawnedApp;
  let context: BrowserContext;
  let staff: Page;
  let customer: Page;

  beforeAll(async () => {
    app = await spawnApp('embedded', { LOG_LEVEL: 'warn' }, { readyLine: /READY http/, readyTimeoutMs: 120_000 });
    mkdirSync(SHOTS, { recursive: true });
    context = await chromium.launchPersistentContext(mkdtempSync(path.join(tmpdir(), 'cs-console-chromium-')), {
      executablePath: chromiumPath(),
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 800 },
    });
    await context.grantPermissions(['notifications'], { origin: app.url });
    // Records what the page asks the browser to show (headless Chromium has no notification centre to look at).
    await context.addInitScript(() => {
      const shown: { title: string; body: string }[] = [];
      const Native = window.Notification;
      class Recorded extends Native {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          shown.push({ title, body: options?.body ?? '' });
        }
      }
      Object.defineProperty(window, 'Notification', { value: Recorded });
      Object.defineProperty(window, 'shownNotifications', { value: shown });
    });
    staff = context.pages()[0] ?? (await context.newPage());
    customer = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    await app?.kill();
  });

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });

  it('signs in with the admin login the first start printed', async () => {
    const [, email, password] = /Demo admin:\s+(\S+) \/ (\S+)/.exec(app.logs()) ?? [];
    expect(email).toBeTruthy();
    await staff.bringToFront();
    await staff.goto(`${app.url}/console`);
    await staff.getByLabel('Email').fill(email);
    await staff.getByLabel('Password').fill('not the password');
    await staff.getByRole('button', { name: 'Sign in' }).click();
    await expectText(staff.getByRole('alert'), /wrong email or password/i);
    await shot(staff, 'login');

    await staff.getByLabel('Password').fill(password);
    await staff.getByLabel('Password').press('Enter');
    await expectText(staff.locator('h1'), /Inbox/);
    await staff.locator('[data-live-state="connected"]').waitFor({ timeout: 15_000 });
  });

  it('shows a hand-off live, without a reload, with a notification, and the conversation with the bot’s reasons', async () => {
    // Set once on this document: still there afterwards means the page never reloaded.
    await staff.evaluate(() => Object.defineProperty(window, 'sameDocument', { value: true }));
    expect(await staff.locator('[data-conversation]').count()).toBe(0);

    await customer.goto(`${app.url}/`);
    await customer.locator('[data-cs-input]').fill('I want to talk to a person please');
    await customer.locator('[data-cs-send]').click();
    await customer.locator('[data-cs-message][data-author="bot"]').first().waitFor({ timeout: 30_000 });

    const row = staff.locator('[data-conversation][data-status="waiting"]');
    await row.waitFor({ timeout: 15_000 });
    expect(await staff.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    await staff.locator('[data-handoff-alert]').waitFor({ timeout: 5_000 });
    const notifications = await staff.evaluate(() => (window as unknown as { shownNotifications: { title: string; body: string }[] }).shownNotifications);
    expect(notifications).toEqual([expect.objectContaining({ title: expect.stringMatching(/hand-off/i) })]);
    await shot(staff, 'inbox');

    await row.click();
    const open = staff.locator('[data-open-conversation]');
    await expectText(open.locator('[data-author="contact"]').first(), /talk to a person/);
    await expectText(open.locator('[data-handoff-summary]'), /customer asked for a person/i);
    await open.getByText('Why the bot said this').first().click();
    await expectText(open.locator('[data-trace]').first(), /Handed off because/);
  });

  it('sends the person’s reply on the customer’s channel, then resolves', async () => {
    const open = staff.locator('[data-open-conversation]');
    await staff.getByPlaceholder(/Reply on Web chat/).fill('Hello, this is Sam from the team. I can help with that.');
    await staff.getByRole('button', { name: 'Send reply' }).click();
    await expectText(open.locator('[data-author="person"]').last(), /this is Sam from the team/);
    // Replying took the conversation over: the list says so too.
    await expectText(staff.locator('[data-conversation]').first(), /Assigned/);
    await staff.screenshot({ path: path.join(SHOTS, 'conversation.png'), fullPage: true });

    await expectText(customer.locator('[data-cs-message][data-author="person"]').last(), /this is Sam from the team/);

    // The reply made the conversation Sam's: when the customer writes again, the console tells Sam.
    await customer.locator('[data-cs-input]').fill('Thanks Sam, my order number is 1234');
    await customer.locator('[data-cs-send]').click();
    await expectText(open.locator('[data-author="contact"]').last(), /order number is 1234/);
    await expectText(staff.locator('[data-handoff-alert]'), /A customer of yours wrote/);
    const notifications = await staff.evaluate(() => (window as unknown as { shownNotifications: { title: string; body: string }[] }).shownNotifications);
    expect(notifications.map((n) => n.title)).toEqual([expect.stringMatching(/hand-off/i), 'A customer of yours wrote']);
    expect(notifications[1].body).toMatch(/order number is 1234/);

    await staff.getByRole('button', { name: 'Resolve' }).click();
    await expectText(open.locator('[data-conversation-status]'), /Resolved/);
    await open.getByRole('button', { name: 'Reopen' }).waitFor();
  });

  it('edits an article and "try it" answers from the new text', async () => {
    await staff.getByRole('link', { name: 'Knowledge' }).click();
    await staff.locator('[data-article="delivery-times"]').click();
    const body = staff.getByRole('textbox', { name: /^Body/ });
    await expectValue(body, /3 to 5 working days/);
    const edited = (await body.inputValue()).replace('Standard delivery takes 3 to 5 working days', 'Standard delivery takes 2 to 4 working days');
    await body.fill(edited);
    await staff.getByRole('tab', { name: 'Preview' }).click();
    await expectText(staff.getByRole('tabpanel', { name: 'Preview' }), /2 to 4 working days/);
    await staff.getByRole('button', { name: 'Save' }).click();
    await expectText(staff.locator('[data-save-status]'), /Saved: version 2/);

    await staff.getByLabel('Question').fill('how long does delivery take?');
    await staff.getByRole('button', { name: 'Ask the agent' }).click();
    await expectText(staff.locator('[data-try-answer]'), /2 to 4 working days/);
    expect(await staff.locator('[data-try-answer]').textContent()).not.toMatch(/3 to 5 working days/);
    await expectText(staff.locator('.try [data-trace]'), /Delivery times/);
    await shot(staff, 'knowledge');
  });

  it('shows the edit in the article’s history and restores the earlier text as a new version', async () => {
    const history = staff.getByRole('region', { name: 'History' });
    await history.locator('[data-version="1"]').getByRole('button', { name: 'Compare with current' }).click();
    const diff = history.locator('[data-diff]');
    await expectText(diff.locator('del'), /3 to 5 working days/);
    await expectText(diff.locator('ins'), /2 to 4 working days/);
    await history.getByRole('button', { name: 'Restore version 1' }).click();
    await expectText(staff.locator('[data-save-status]'), /Restored as version 3/);
    await staff.getByRole('tab', { name: 'Write' }).click();
    await expectValue(staff.getByRole('textbox', { name: /^Body/ }), /3 to 5 working days/);
    await history.locator('[data-version="3"]').waitFor();
  });

  it('draws the analytics with the numbers the API returns', async () => {
    await staff.getByRole('link', { name: 'Analytics' }).click();
    await staff.locator('[data-chart="volume"] canvas').waitFor({ timeout: 15_000 });

    const report = await staff.evaluate(async () => {
      const session = JSON.parse(sessionStorage.getItem('cs-console-session') ?? '{}') as { accessToken: string };
      const from = (document.querySelectorAll('input[type=date]')[0] as HTMLInputElement).value;
      const to = (document.querySelectorAll('input[type=date]')[1] as HTMLInputElement).value;
      const end = new Date(new Date(`${to}T00:00:00Z`).getTime() + 86_400_000).toISOString();
      const res = await fetch(`/api/v1/analytics?from=${new Date(`${from}T00:00:00Z`).toISOString()}&to=${end}`, { headers: { Authorization: `Bearer ${session.accessToken}` } });
      return (await res.json()) as Analytics;
    });
    expect(report.conversations).toBeGreaterThanOrEqual(1);
    expect(report.handoff.conversations).toBeGreaterThanOrEqual(1);

    await expectText(staff.locator('[data-card="conversations"] .big'), new RegExp(`^${report.conversations}$`));
    await expectText(staff.locator('[data-card="handoff-rate"]'), new RegExp(`${report.handoff.conversations} conversations`));
    // Sam answered the hand-off in the browser a moment later: the person's reply is timed apart from the bot's.
    expect(report.firstHumanReplyAfterHandoffSeconds.p50).not.toBeNull();
    await expectText(staff.locator('[data-card="first-human-reply"] .big'), /^\d+ (s|min)$/);
    const volume = report.volume.reduce((sum, v) => sum + v.messages, 0);
    expect(volume).toBeGreaterThan(0);
    expect(await staff.locator('[data-chart="volume"]').getAttribute('data-chart-total')).toBe(String(volume));
    const intents = report.topIntents.reduce((sum, t) => sum + t.conversations, 0);
    expect(await staff.locator('[data-chart="intents"]').getAttribute('data-chart-total')).toBe(String(intents));

    // The charts are drawn: their canvases hold coloured pixels (the bars), not a blank area.
    for (const name of ['volume', 'intents']) {
      const painted = await staff.locator(`[data-chart="${name}"] canvas`).evaluate((canvas: HTMLCanvasElement) => {
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
        let coloured = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && Math.abs(data[i] - data[i + 2]) > 60) coloured++;
        return coloured;
      });
      expect(painted).toBeGreaterThan(100);
    }
    await staff.screenshot({ path: path.join(SHOTS, 'analytics.png'), fullPage: true });

    // The channel filter: the web chat hand-off above is not an email conversation.
    await staff.locator('.analytics select[name=channel]').selectOption('email');
    const emailOnly = await staff.evaluate(async () => {
      const session = JSON.parse(sessionStorage.getItem('cs-console-session') ?? '{}') as { accessToken: string };
      const res = await fetch('/api/v1/analytics?channel=email', { headers: { Authorization: `Bearer ${session.accessToken}` } });
      return (await res.json()) as Analytics;
    });
    expect(emailOnly.conversations).toBeLessThan(report.conversations);
    await expectText(staff.locator('[data-card="conversations"] .big'), new RegExp(`^${emailOnly.conversations}$`));
    await staff.locator('.analytics select[name=channel]').selectOption('');
  });

  it('shows the settings the API holds, and fits a phone', async () => {
    await staff.getByRole('link', { name: 'Settings' }).click();
    await expectValue(staff.getByLabel(/Expected response time/), /.+/);
    await shot(staff, 'settings');

    await staff.setViewportSize({ width: 390, height: 844 });
    await staff.goto(`${app.url}/console/inbox`);
    await staff.getByLabel('Status').selectOption({ label: 'All' });
    await staff.locator('[data-conversation]').first().waitFor();
    const overflow = await staff.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(staff, 'inbox-phone');
  });

  it('adds a canned response in the settings and inserts it into a reply, its placeholders filled for the customer', async () => {
    await staff.setViewportSize({ width: 1280, height: 800 });
    await staff.goto(`${app.url}/console/settings`);
    const form = staff.getByRole('form', { name: 'Add a canned response' });
    await form.getByLabel('Shortcut').fill('thanks');
    await form.getByLabel('Title').fill('Thanks for waiting');
    await form.getByLabel('Text').fill('Thanks {{contact.name|for waiting}}, {{agent.name}} here: conversation {{conversation.id}}.');
    await form.getByRole('button', { name: 'Add' }).click();
    await staff.locator('[data-canned="thanks"]').waitFor();

    await staff.getByRole('link', { name: 'Inbox' }).click();
    await staff.getByLabel('Status').selectOption({ label: 'All' });
    await staff.locator('[data-conversation]').first().click();
    const open = staff.locator('[data-open-conversation]');
    await open.getByLabel('Insert a canned response').selectOption({ label: '/thanks · Thanks for waiting' });
    const composer = open.locator('#composer-text');
    await expectValue(composer, /^Thanks .+, .+ here: conversation [0-9a-f-]{36}\.$/);
    expect(await composer.inputValue()).not.toContain('{{');
  });

  it('labels the open conversation, shows the label on its inbox row, filters the inbox by label, and removes it', async () => {
    const open = staff.locator('[data-open-conversation]');
    const id = await open.getAttribute('data-open-conversation');
    await open.getByLabel('New label').fill('VIP');
    await open.getByRole('button', { name: 'Add label' }).click();
    await open.locator('[data-labels] [data-label="vip"]').waitFor();
    await staff.locator(`[data-conversation="${id}"] [data-label="vip"]`).waitFor();
    // The inbox's label filter: a label nobody carries empties the list.
    const filter = staff.locator('.inbox-list input[name=label]');
    await filter.fill('nobody-has-this');
    await filter.blur();
    await waitFor(async () => (await staff.locator('[data-conversation]').count()) === 0, { timeoutMs: 15_000, what: 'an empty inbox for an unused label' });
    await open.getByRole('button', { name: 'Remove label vip' }).click();
    await waitFor(async () => (await open.locator('[data-labels] [data-label]').count()) === 0, { timeoutMs: 15_000, what: 'the label removed' });
  });

  it('relabels the open conversation’s intent: the header shows it and its question becomes a training example', async () => {
    const open = staff.locator('[data-open-conversation]');
    const id = (await open.getAttribute('data-open-conversation')) as string;
    const relabel = open.locator('[data-intent-relabel]');
    await relabel.getByLabel('Intent').selectOption('cancel_order');
    await relabel.getByRole('button', { name: 'Relabel' }).click();
    await expectText(relabel.getByRole('status'), /^Relabelled: \d+ messages? will teach the next retraining\.$/);
    await expectText(open.locator('.conv-head p.muted'), /intent cancel_order/);
    const examples = await staff.evaluate(async () => {
      const session = JSON.parse(sessionStorage.getItem('cs-console-session') ?? '{}') as { accessToken: string };
      const res = await fetch('/api/v1/intent-models/training-examples', { headers: { Authorization: `Bearer ${session.accessToken}` } });
      return ((await res.json()) as { items: { conversationId: string; intent: string; source: string }[] }).items;
    });
    expect(examples.filter((e) => e.conversationId === id).map((e) => [e.intent, e.source])).toContainEqual(['cancel_order', 'relabel']);
  });

  it('sets the person’s availability and notifications, makes a team that receives hand-offs, and saves business hours on the Team page', async () => {
    await staff.getByRole('link', { name: 'Team' }).click();
    await expectText(staff.locator('h1'), /Team/);
    await staff.getByLabel('Away').check();
    await staff.getByLabel('Email').uncheck();
    const form = staff.getByRole('form', { name: 'Add a team' });
    await form.getByLabel('Team name').fill('Front desk');
    await form.getByLabel('Receives hand-offs').check();
    await form.locator('fieldset input[type=checkbox]').first().check();
    await form.getByRole('button', { name: 'Add team' }).click();
    await staff.locator('[data-team="Front desk"]').waitFor();

    const hours = staff.getByRole('form', { name: 'Business hours, SLA and auto-close' });
    await hours.getByLabel('Time zone').fill('Europe/Berlin');
    await hours.locator('[data-day="mon"] input[type=checkbox]').check();
    await hours.getByLabel('SLA: minutes a customer may wait for a person').fill('30');
    await hours.getByRole('button', { name: 'Save hours' }).click();
    await expectText(hours.locator('[data-hours-status]'), /Saved/);
    await shot(staff, 'team');

    // What the page shows is what the API now holds.
    const token = await staff.evaluate(() => (JSON.parse(sessionStorage.getItem('cs-console-session') ?? '{}') as { accessToken: string }).accessToken);
    const get = async (route: string) => (await fetch(`${app.url}/api/v1${route}`, { headers: { Authorization: `Bearer ${token}` } })).json();
    expect(await get('/preferences')).toEqual({ availability: 'away', browser: true, sound: true, email: false });
    const teams = (await get('/teams')) as { items: { name: string; receivesHandoffs: boolean; members: unknown[] }[] };
    expect(teams.items).toEqual([expect.objectContaining({ name: 'Front desk', receivesHandoffs: true, members: [expect.objectContaining({ availability: 'away' })] })]);
    const settings = (await get('/settings')) as { settings: Record<string, unknown> };
    expect(settings.settings).toMatchObject({ timezone: 'Europe/Berlin', businessHours: { mon: [['09:00', '17:00']] }, slaMinutes: 30 });
  });
});

async function expectText(locator: Locator, pattern: RegExp): Promise<void> {
  await locator.first().waitFor({ timeout: 15_000 });
  let text = '';
  await waitFor(
    async () => {
      text = (await locator.first().textContent()) ?? '';
      return pattern.test(text);
    },
    { timeoutMs: 15_000, what: `text matching ${pattern}` },
  ).catch(() => {
    throw new Error(`expected text matching ${pattern}, got "${text}"`);
  });
}

async function expectValue(locator: Locator, pattern: RegExp): Promise<void> {
  await waitFor(async () => pattern.test(await locator.inputValue()), { timeoutMs: 15_000, what: `a value matching ${pattern}` });
}
