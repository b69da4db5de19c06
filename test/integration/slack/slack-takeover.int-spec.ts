import { waitFor } from '@cs/testing';
import { freshChannel, sleep, startSlackStack, type SlackStack } from './slack-harness';

jest.setTimeout(90_000);

const QUIET_MS = 2_500;

/** Staff of the shop in the customer's thread: they take the conversation; ✅ or the button resolves it. */
describe('Slack Connect: people take over in the thread', () => {
  let s: SlackStack;

  beforeAll(async () => {
    s = await startSlackStack('slacktakeover');
  }, 120_000);

  afterAll(async () => {
    await s?.stop();
  });

  const statusOf = async (channel: string, ts: string): Promise<string | undefined> =>
    (await s.ds.query(`SELECT status FROM conversations WHERE connector_id = 'slack' AND external_thread_id = $1`, [`${channel}:${ts}`]))[0]?.status;

  const askAndGetAnswer = async (text: string) => {
    const channel = freshChannel();
    const event = s.slack.messageEvent(s.customer, channel, text);
    expect((await s.slack.sendEvent(s.eventsUrl, s.slack.envelope(event))).status).toBe(200);
    const ts = String(event.ts);
    await waitFor(() => s.slack.postedIn(channel, ts).length === 1, { timeoutMs: 20_000, what: 'the answer' });
    return { channel, ts };
  };

  it('goes silent in the thread once a staff member replies there, until a ✅ resolves it', async () => {
    const { channel, ts } = await askAndGetAnswer('How long does delivery take?');

    const staffReply = s.slack.messageEvent(s.staff, channel, 'Hi Ada, I am checking your order now.', { threadTs: ts });
    expect((await s.slack.sendEvent(s.eventsUrl, s.slack.envelope(staffReply))).status).toBe(200);
    await waitFor(async () => (await statusOf(channel, ts)) === 'assigned', { what: 'the conversation assigned' });
    const [stored] = await s.ds.query(`SELECT author_kind FROM messages WHERE external_message_id = $1`, [`${channel}:${staffReply.ts}`]);
    expect(stored.author_kind).toBe('person');

    const followUp = s.slack.messageEvent(s.customer, channel, 'What is your returns policy?', { threadTs: ts });
    expect((await s.slack.sendEvent(s.eventsUrl, s.slack.envelope(followUp))).status).toBe(200);
    await sleep(QUIET_MS);
    expect(s.slack.postedIn(channel, ts)).toHaveLength(1);

    const check = { type: 'reaction_added', user: s.staff.id, reaction: 'white_check_mark', item: { type: 'message', channel, ts }, item_user: s.customer.id, event_ts: s.slack.nextTs() };
    expect((await s.slack.sendEvent(s.eventsUrl, s.slack.envelope(check))).status).toBe(200);
    await waitFor(async () => (await statusOf(channel, ts)) === 'resolved', { what: 'the conversation resolved' });
    // The resolution's only message is the satisfaction question (issue 16), never an answer to the follow-up.
    await sleep(QUIET_MS);
    const posted = s.slack.postedIn(channel, ts);
    expect(posted).toHaveLength(2);
    expect(posted[1].args.text).toBe('How would you rate the help you got?');
  });

  it("does not let a customer's ✅ resolve anything", async () => {
    const { channel, ts } = await askAndGetAnswer('How long does delivery take?');
    const check = { type: 'reaction_added', user: s.customer.id, reaction: 'white_check_mark', item: { type: 'message', channel, ts }, item_user: s.customer.id, event_ts: s.slack.nextTs() };
    expect((await s.slack.sendEvent(s.eventsUrl, s.slack.envelope(check))).status).toBe(200);
    await sleep(QUIET_MS);
    expect(await statusOf(channel, ts)).toBe('bot');
  });

  it('resolves the conversation when the customer clicks "This solved it", with no other answer than the satisfaction question', async () => {
    const { channel, ts } = await askAndGetAnswer('How long does delivery take?');
    const answerTs = await waitFor(async () => {
      const rows: { external_message_id: string | null }[] = await s.ds.query(
        `SELECT external_message_id FROM messages WHERE connector_id = 'slack' AND direction = 'out' AND external_message_id LIKE $1`,
        [`${channel}:%`],
      );
      return rows[0]?.external_message_id?.split(':')[1];
    }, { what: 'the answer marked sent' });
    const res = await s.slack.sendInteraction(s.interactionsUrl, s.slack.blockAction(s.customer, { channel, ts: answerTs, threadTs: ts }, 'cs_resolved'));
    expect(res.status).toBe(200);
    await waitFor(async () => (await statusOf(channel, ts)) === 'resolved', { what: 'the conversation resolved' });
    await sleep(QUIET_MS);
    const posted = s.slack.postedIn(channel, ts);
    expect(posted).toHaveLength(2);
    expect(posted[1].args.text).toBe('How would you rate the help you got?');
    expect(await statusOf(channel, ts)).toBe('resolved');
  });
});
