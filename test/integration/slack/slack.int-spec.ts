import { createHash } from 'crypto';
import { newId } from '@cs/contracts';
import { SecretBox } from '@cs/config';
import { waitFor } from '@cs/testing';
import { slackInstallTicket } from '../../../apps/connectors/src/channels/slack/slack.install';
import { benchSlackRoundTrips } from '../../fakes/slack/slack-bench';
import { SECRET_KEY, sleep, freshChannel, startSlackStack, type SlackStack } from './slack-harness';

jest.setTimeout(90_000);

/** How long we keep watching for a second, unwanted answer. */
const QUIET_MS = 2_500;

describe('Slack Connect: customers in shared channels, against a fake Slack on its wire protocol', () => {
  let s: SlackStack;

  beforeAll(async () => {
    s = await startSlackStack('slack');
  }, 120_000);

  afterAll(async () => {
    await s?.stop();
  });

  const ask = async (text: string, channel = freshChannel()) => {
    const event = s.slack.messageEvent(s.customer, channel, text);
    const envelope = s.slack.envelope(event);
    const res = await s.slack.sendEvent(s.eventsUrl, envelope);
    return { res, envelope, channel, ts: String(event.ts) };
  };

  const storedInbound = (channel: string, ts: string) =>
    s.ds.query(`SELECT id, text, channel_data FROM messages WHERE connector_id = 'slack' AND direction = 'in' AND external_message_id = $1`, [`${channel}:${ts}`]);

  it("answers Slack's URL check with the challenge", async () => {
    const res = await s.slack.sendEvent(s.eventsUrl, { token: 'x', challenge: 'c4a1l3ng3', type: 'url_verification' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'c4a1l3ng3' });
  });

  it("gives an external user's question in a shared channel one threaded answer with the buttons, 👀 while working", async () => {
    const { res, channel, ts } = await ask('How long does delivery take?');
    expect(res.status).toBe(200);

    const [answer] = await waitFor(() => s.slack.postedIn(channel, ts).length > 0 && s.slack.postedIn(channel, ts), { timeoutMs: 45_000, what: 'the answer in the thread' });
    expect(String(answer.args.text).toLowerCase()).toMatch(/working days|business days|delivery/);
    const blocks = JSON.stringify(answer.args.blocks);
    expect(blocks).toContain('This solved it');
    expect(blocks).toContain('Talk to a person');
    expect(blocks).toMatch(/\/kb\/[a-z-]+\|/);

    const added = s.slack.callsTo('reactions.add', (c) => c.args.channel === channel && c.args.timestamp === ts);
    expect(added.map((c) => c.args.name)).toEqual(['eyes']);
    expect(added[0].at).toBeLessThanOrEqual(answer.at);
    await waitFor(() => s.slack.callsTo('reactions.remove', (c) => c.args.channel === channel && c.args.timestamp === ts && c.args.name === 'eyes').length === 1, { what: '👀 removed' });

    await sleep(QUIET_MS);
    expect(s.slack.postedIn(channel, ts)).toHaveLength(1);
    const [stored] = await storedInbound(channel, ts);
    expect(stored.channel_data).toMatchObject({ company: 'T0ACME', slack: { userTeam: 'T0ACME' } });
  });

  it('answers the same event once when Slack retries it (X-Slack-Retry-Num)', async () => {
    const { envelope, channel, ts } = await ask('What is your returns policy?');
    const retries = await Promise.all([1, 2].map((retryNum) => s.slack.sendEvent(s.eventsUrl, envelope, { retryNum })));
    expect(retries.map((r) => r.status)).toEqual([200, 200]);
    await waitFor(() => s.slack.postedIn(channel, ts).length > 0, { timeoutMs: 20_000, what: 'the answer' });
    const late = await s.slack.sendEvent(s.eventsUrl, envelope, { retryNum: 3 });
    expect(late.status).toBe(200);
    await sleep(QUIET_MS);
    expect(s.slack.postedIn(channel, ts)).toHaveLength(1);
    expect(await storedInbound(channel, ts)).toHaveLength(1);
  });

  it('answers a burst of questions from customers in twenty channels, each exactly once', async () => {
    const { latencies, failures } = await benchSlackRoundTrips(s.slack, s.eventsUrl, s.customer, { count: 20, concurrency: 10 });
    expect({ answered: latencies.length, failures }).toEqual({ answered: 20, failures: 0 });
    await sleep(1_000);
    const bench = s.slack.callsTo('chat.postMessage', (c) => String(c.args.channel).startsWith('C0BENCH'));
    expect(new Set(bench.map((c) => `${c.args.channel}:${c.args.thread_ts}`)).size).toBe(20);
    expect(bench).toHaveLength(20);
  });

  it('refuses a bad signature or a stale timestamp with 401 and stores nothing', async () => {
    const channel = freshChannel();
    const event = s.slack.messageEvent(s.customer, channel, 'How long does delivery take?');
    const forged = await s.slack.sendEvent(s.eventsUrl, s.slack.envelope(event), { secret: 'not-the-signing-secret-at-all' });
    expect(forged.status).toBe(401);
    const replayed = await s.slack.sendEvent(s.eventsUrl, s.slack.envelope(event), { timestampSec: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(replayed.status).toBe(401);
    await sleep(QUIET_MS);
    expect(await storedInbound(channel, String(event.ts))).toHaveLength(0);
    expect(s.slack.callsTo('chat.postMessage', (c) => c.args.channel === channel)).toHaveLength(0);
  });

  it("never answers our own message or another bot's", async () => {
    const { channel, ts } = await ask('How long does delivery take?');
    const [answer] = await waitFor(() => s.slack.postedIn(channel, ts).length > 0 && s.slack.postedIn(channel, ts), { timeoutMs: 20_000, what: 'the answer' });
    const o = s.slack.options;
    // Slack echoes our own post back as an event, and another app's bot speaks in the thread.
    const echo = s.slack.botMessageEvent(o.botId, o.botUserId, channel, String(answer.args.text), { threadTs: ts });
    const otherBot = s.slack.botMessageEvent('B0OTHERBOT', 'U0OTHERBOT', channel, 'How long does delivery take?', { threadTs: ts });
    const topLevelBot = s.slack.botMessageEvent('B0OTHERBOT', 'U0OTHERBOT', channel, 'What is your returns policy?');
    for (const event of [echo, otherBot, topLevelBot]) expect((await s.slack.sendEvent(s.eventsUrl, s.slack.envelope(event))).status).toBe(200);
    await sleep(QUIET_MS);
    expect(s.slack.callsTo('chat.postMessage', (c) => c.args.channel === channel)).toHaveLength(1);
    expect(await storedInbound(channel, String(otherBot.ts))).toHaveLength(0);
  });

  it('retries the answer after the Retry-After of a 429', async () => {
    s.slack.rateLimitNext('chat.postMessage', 1);
    const { channel, ts } = await ask('How long does delivery take?');
    await waitFor(() => s.slack.postedIn(channel, ts).length > 0, { timeoutMs: 30_000, what: 'the answer after the rate limit' });
    const attempts = s.slack.callsTo('chat.postMessage', (c) => c.args.channel === channel);
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(1_000);
    await sleep(QUIET_MS);
    expect(s.slack.postedIn(channel, ts)).toHaveLength(1);
  });

  it('hands the conversation to a person when the customer clicks "Talk to a person"', async () => {
    const { channel, ts } = await ask('How long does delivery take?');
    const [answer] = await waitFor(() => s.slack.postedIn(channel, ts).length > 0 && s.slack.postedIn(channel, ts), { timeoutMs: 20_000, what: 'the answer' });
    const answerTs = await waitFor(async () => {
      const rows: { external_message_id: string | null }[] = await s.ds.query(
        `SELECT m.external_message_id FROM messages m WHERE m.connector_id = 'slack' AND m.direction = 'out' AND m.external_message_id LIKE $1`,
        [`${channel}:%`],
      );
      return rows[0]?.external_message_id?.split(':')[1];
    }, { what: 'the answer marked sent' });
    expect(answer.args.thread_ts).toBe(ts);

    const res = await s.slack.sendInteraction(s.interactionsUrl, s.slack.blockAction(s.customer, { channel, ts: answerTs, threadTs: ts }, 'cs_handoff'));
    expect(res.status).toBe(200);
    await waitFor(() => s.slack.postedIn(channel, ts).length === 2, { timeoutMs: 20_000, what: 'the hand-off note' });
    const note = s.slack.postedIn(channel, ts)[1];
    expect(String(note.args.text)).toMatch(/person|team/i);
    expect(JSON.stringify(note.args.blocks)).not.toContain('Talk to a person');
    const [conversation] = await s.ds.query(`SELECT status FROM conversations WHERE connector_id = 'slack' AND external_thread_id = $1`, [`${channel}:${ts}`]);
    expect(conversation.status).toBe('waiting');
  });

  it('asks for a rating with five buttons once the customer clicks "This solved it", and records the button they press', async () => {
    const { channel, ts } = await ask('How long does delivery take?');
    await waitFor(() => s.slack.postedIn(channel, ts).length === 1, { timeoutMs: 20_000, what: 'the answer' });
    const sentTs = async (n: number) =>
      waitFor(async () => {
        const rows: { external_message_id: string | null }[] = await s.ds.query(
          `SELECT m.external_message_id FROM messages m WHERE m.connector_id = 'slack' AND m.direction = 'out' AND m.external_message_id LIKE $1 ORDER BY m.created_at`,
          [`${channel}:%`],
        );
        return rows.length >= n && rows[n - 1].external_message_id?.split(':')[1];
      }, { what: `our message ${n} marked sent` });

    await s.slack.sendInteraction(s.interactionsUrl, s.slack.blockAction(s.customer, { channel, ts: await sentTs(1), threadTs: ts }, 'cs_resolved'));

    const [, question] = await waitFor(() => s.slack.postedIn(channel, ts).length === 2 && s.slack.postedIn(channel, ts), { timeoutMs: 20_000, what: 'the satisfaction question' });
    expect(question.args.text).toBe('How would you rate the help you got?');
    expect(question.args.thread_ts).toBe(ts);
    const blocks = JSON.stringify(question.args.blocks);
    for (const n of [1, 2, 3, 4, 5]) expect(blocks).toContain(`"action_id":"cs_csat_${n}"`);
    expect(blocks).not.toContain('This solved it');

    await s.slack.sendInteraction(s.interactionsUrl, s.slack.blockAction(s.customer, { channel, ts: await sentTs(2), threadTs: ts }, 'cs_csat_5'));

    const [conversation] = await s.ds.query(`SELECT id, status FROM conversations WHERE connector_id = 'slack' AND external_thread_id = $1`, [`${channel}:${ts}`]);
    const [feedback] = await waitFor(
      async () => {
        const rows: { rating: number }[] = await s.ds.query(`SELECT rating FROM conversation_feedback WHERE conversation_id = $1`, [conversation.id]);
        return rows.length > 0 && rows;
      },
      { what: 'the rating' },
    );
    expect(feedback.rating).toBe(5);
    await waitFor(() => s.slack.postedIn(channel, ts).length === 3, { timeoutMs: 20_000, what: 'the thanks' });
    expect(s.slack.postedIn(channel, ts)[2].args.text).toBe('Thank you for your rating!');
    expect(conversation.status).toBe('resolved');
  });

  it("posts a person's reply from the console into the thread under their name, without buttons", async () => {
    const { channel, ts } = await ask('How long does delivery take?');
    await waitFor(() => s.slack.postedIn(channel, ts).length === 1, { timeoutMs: 20_000, what: 'the answer' });
    const [conversation] = await s.ds.query(`SELECT id FROM conversations WHERE connector_id = 'slack' AND external_thread_id = $1`, [`${channel}:${ts}`]);
    const res = await fetch(`${s.gateway.url}/api/v1/conversations/${conversation.id}/replies`, {
      method: 'POST',
      headers: { ...(await s.adminLogin()), 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Hi Ada, your parcel left our warehouse today.' }),
    });
    expect(res.status).toBeLessThan(300);
    await waitFor(() => s.slack.postedIn(channel, ts).length === 2, { timeoutMs: 20_000, what: "the person's reply" });
    const reply = s.slack.postedIn(channel, ts)[1];
    const [admin] = await s.ds.query(`SELECT name FROM users WHERE email = 'admin@demo.shop'`);
    expect(reply.args).toMatchObject({ text: 'Hi Ada, your parcel left our warehouse today.', username: admin.name });
    expect(JSON.stringify(reply.args.blocks)).not.toContain('This solved it');
  });

  it('updates the stored message when the customer edits it and marks it deleted when they delete it', async () => {
    const { channel, ts } = await ask('How long does delivery take?');
    await waitFor(async () => (await storedInbound(channel, ts)).length === 1, { timeoutMs: 20_000, what: 'the question stored' });
    const edit = { type: 'message', subtype: 'message_changed', channel, hidden: true, ts: s.slack.nextTs(),
      message: { type: 'message', user: s.customer.id, text: 'How long does delivery take to Oslo?', ts, edited: { user: s.customer.id, ts: s.slack.nextTs() } },
      previous_message: { type: 'message', user: s.customer.id, text: 'How long does delivery take?', ts } };
    expect((await s.slack.sendEvent(s.eventsUrl, s.slack.envelope(edit))).status).toBe(200);
    expect((await storedInbound(channel, ts))[0]).toMatchObject({ text: 'How long does delivery take to Oslo?', channel_data: expect.objectContaining({ edited: true }) });

    const deletion = { type: 'message', subtype: 'message_deleted', channel, hidden: true, ts: s.slack.nextTs(), deleted_ts: ts, previous_message: { type: 'message', user: s.customer.id, ts } };
    expect((await s.slack.sendEvent(s.eventsUrl, s.slack.envelope(deletion))).status).toBe(200);
    expect((await storedInbound(channel, ts))[0].channel_data).toMatchObject({ deleted: true });
  });

  it('answers a question that arrives over Socket Mode, acknowledging the envelope', async () => {
    await waitFor(() => s.slack.socketClients === 1, { timeoutMs: 15_000, what: 'the Socket Mode connection' });
    const channel = freshChannel();
    const event = s.slack.messageEvent(s.customer, channel, 'How long does delivery take?');
    await s.slack.socketSend('events_api', s.slack.envelope(event));
    const ts = String(event.ts);
    await waitFor(() => s.slack.postedIn(channel, ts).length === 1, { timeoutMs: 20_000, what: 'the answer to the socket event' });
    expect(JSON.stringify(s.slack.postedIn(channel, ts)[0].args.blocks)).toContain('This solved it');
  });

  it('installs into another tenant through OAuth v2, keeps the token encrypted, and deactivates on uninstall', async () => {
    const tenantId = newId();
    await s.ds.query(`INSERT INTO tenants (id, name, slug) VALUES ($1, 'Other Shop', $2)`, [tenantId, `other-${tenantId.slice(-6)}`]);
    s.slack.willInstall({ teamId: 'T0OTHER', teamName: 'Other Shop', botToken: 'xoxb-other-shop-token', botUserId: 'U0OTHERBOT', botId: 'B0OTHERSHOP' });
    const key = createHash('sha256').update(SECRET_KEY).digest();

    const forged = await fetch(`${s.gateway.url}/hooks/slack/install?ticket=${tenantId}.9999999999.forged`, { redirect: 'manual' });
    expect(forged.status).toBe(403);

    const start = await fetch(`${s.gateway.url}/hooks/slack/install?ticket=${encodeURIComponent(slackInstallTicket(key, tenantId))}`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location') ?? '');
    expect(authorize.origin + authorize.pathname).toBe('https://slack.com/oauth/v2/authorize');
    expect(authorize.searchParams.get('client_id')).toBe(s.slack.options.clientId);
    expect(authorize.searchParams.get('scope')?.split(',')).toContain('chat:write');
    const state = authorize.searchParams.get('state') ?? '';
    const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0];
    expect(cookie).toContain(state);

    const stolen = await fetch(`${s.gateway.url}/hooks/slack/oauth_redirect?code=c0de&state=${encodeURIComponent(state)}`, { redirect: 'manual' });
    expect(stolen.status).toBe(400);
    const back = await fetch(`${s.gateway.url}/hooks/slack/oauth_redirect?code=c0de&state=${encodeURIComponent(state)}`, { headers: { cookie }, redirect: 'manual' });
    expect(back.status).toBe(200);
    expect(await back.text()).toContain('Slack is connected to Other Shop');

    const [account] = await s.ds.query(`SELECT id, tenant_id, status, settings, secrets_encrypted FROM channel_accounts WHERE connector_id = 'slack' AND public_key = 'T0OTHER'`);
    expect(account).toMatchObject({ tenant_id: tenantId, status: 'active', settings: expect.objectContaining({ teamId: 'T0OTHER', botUserId: 'U0OTHERBOT' }) });
    expect(account.secrets_encrypted).not.toContain('xoxb-other-shop-token');
    expect(new SecretBox(SECRET_KEY).open(account.secrets_encrypted)).toMatchObject({ botToken: 'xoxb-other-shop-token' });

    const otherTeam = { team_id: 'T0OTHER', authorizations: [{ enterprise_id: null, team_id: 'T0OTHER', user_id: 'U0OTHERBOT', is_bot: true }] };
    const res = await s.slack.sendEvent(s.eventsUrl, s.slack.envelope({ type: 'app_uninstalled', ts: s.slack.nextTs() }, otherTeam));
    expect(res.status).toBe(200);
    const [after] = await s.ds.query(`SELECT status, status_reason FROM channel_accounts WHERE id = $1`, [account.id]);
    expect(after).toEqual({ status: 'failed', status_reason: expect.stringMatching(/uninstalled/) });
    const [ours] = await s.ds.query(`SELECT status FROM channel_accounts WHERE id = $1`, [s.channelAccountId]);
    expect(ours.status).toBe('active');
  });

  // Last: it takes the workspace's account out of service.
  it('shows the account as failed, with the reason, once the app is uninstalled from the workspace', async () => {
    const res = await s.slack.sendEvent(s.eventsUrl, s.slack.envelope({ type: 'app_uninstalled', ts: s.slack.nextTs() }));
    expect(res.status).toBe(200);
    const [account] = await s.ds.query(`SELECT status, status_reason FROM channel_accounts WHERE id = $1`, [s.channelAccountId]);
    expect(account).toEqual({ status: 'failed', status_reason: expect.stringMatching(/uninstalled/) });
  });
});
