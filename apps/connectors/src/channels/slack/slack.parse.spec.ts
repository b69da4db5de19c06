import { inboundMessageSchema } from '@cs/contracts';
import { slackSettingsSchema } from './slack.definition';
import { BOT_USER, CUSTOMER_TEAM, OUR_TEAM, SHARED_CHANNEL, botMessage, customerMessage, eventCallback } from './__fixtures__/slack-events';
import { parseSlackEvent, parseSlackInteraction, readSlackBody, teamIdsOf, type SlackAccountContext, type SlackInbound } from './slack.parse';
import type { SlackEnvelope } from './slack.payloads';

const ctx: SlackAccountContext = {
  channelAccountId: '0190f5c6-1111-7000-8000-00000000000a',
  settings: slackSettingsSchema.parse({ botToken: 'xoxb-1', signingSecret: 'secret-123', teamId: OUR_TEAM, internalChannels: ['C0STAFF'] }),
};
const at = new Date('2026-11-25T12:00:00Z');
const parse = (body: Record<string, unknown>) => parseSlackEvent(body as SlackEnvelope, ctx, at);
const messageOf = (r: SlackInbound) => {
  if (r.kind !== 'message') throw new Error(`expected a message, got ${r.kind}${'reason' in r ? ` (${r.reason})` : ''}`);
  return inboundMessageSchema.parse(r.message);
};

describe('Slack events', () => {
  it("starts a conversation with a customer's top-level question in a shared channel, threaded on it", () => {
    const message = messageOf(parse(eventCallback(customerMessage('How long does &lt;express&gt; delivery take? <@U0BOT>'))));
    expect(message).toMatchObject({
      connectorId: 'slack',
      channel: 'slack',
      channelAccountId: ctx.channelAccountId,
      externalMessageId: `${SHARED_CHANNEL}:1764000000.000100`,
      externalThreadId: `${SHARED_CHANNEL}:1764000000.000100`,
      sender: { externalUserId: `${CUSTOMER_TEAM}:U0CUSTOMER`, displayName: 'ada' },
      parts: [{ type: 'text', text: 'How long does <express> delivery take?' }],
      channelData: { company: CUSTOMER_TEAM, slack: { channel: SHARED_CHANNEL, ts: '1764000000.000100', userTeam: CUSTOMER_TEAM } },
    });
    expect(message.channelData.staff).toBeUndefined();
  });

  it('continues the conversation with a reply in its thread', () => {
    const message = messageOf(parse(eventCallback(customerMessage('and to Norway?', { ts: '1764000050.000300', threadTs: '1764000000.000100' }))));
    expect(message.externalThreadId).toBe(`${SHARED_CHANNEL}:1764000000.000100`);
    expect(message.externalMessageId).toBe(`${SHARED_CHANNEL}:1764000050.000300`);
  });

  it('never passes on a bot message, our own included, nor joins, leaves and topic changes', () => {
    expect(parse(eventCallback(botMessage('Our answer', 'B0OURS'))).kind).toBe('ignored');
    expect(parse(eventCallback(botMessage('Beep', 'B0OTHER', { user: 'U0OTHERBOT' }))).kind).toBe('ignored');
    expect(parse(eventCallback({ ...customerMessage('bot_message'), subtype: 'bot_message' })).kind).toBe('ignored');
    for (const subtype of ['channel_join', 'channel_leave', 'channel_topic', 'channel_purpose']) {
      expect(parse(eventCallback({ ...customerMessage('<@U0CUSTOMER> has joined the channel'), subtype })).kind).toBe('ignored');
    }
  });

  it("marks a staff member's reply in a thread as a takeover, and ignores staff talk outside threads", () => {
    const staffReply = customerMessage('I will look into it', { team: OUR_TEAM, user: 'U0STAFF', ts: '1764000060.000400', threadTs: '1764000000.000100' });
    const message = messageOf(parse(eventCallback(staffReply)));
    expect(message.channelData).toMatchObject({ staff: true, slack: { user: 'U0STAFF', userTeam: OUR_TEAM } });
    expect(message.externalThreadId).toBe(`${SHARED_CHANNEL}:1764000000.000100`);
    expect(parse(eventCallback(customerMessage('Welcome all!', { team: OUR_TEAM, user: 'U0STAFF' }))).kind).toBe('ignored');
  });

  it('answers staff who mention the bot in an internal channel, marked internal, and nothing else there', () => {
    const internal = { ...customerMessage(`<@${BOT_USER}> what is the returns window?`, { team: OUR_TEAM, channel: 'C0STAFF' }) };
    const message = messageOf(parse(eventCallback(internal, { is_ext_shared_channel: false })));
    expect(message.channelData.internal).toBe(true);
    expect(message.parts).toEqual([{ type: 'text', text: 'what is the returns window?' }]);
    expect(parse(eventCallback({ ...internal, text: 'lunch?' }, { is_ext_shared_channel: false })).kind).toBe('ignored');
  });

  it('ignores channels that are neither shared nor named as support channels', () => {
    expect(parse(eventCallback(customerMessage('hello'), { is_ext_shared_channel: false })).kind).toBe('ignored');
  });

  it('turns edits and deletions into updates of the stored message', () => {
    const edited = eventCallback({
      type: 'message', subtype: 'message_changed', channel: SHARED_CHANNEL, ts: '1764000070.000500',
      message: { type: 'message', user: 'U0CUSTOMER', text: 'How long does delivery take to Oslo?', ts: '1764000000.000100' },
      previous_message: { type: 'message', user: 'U0CUSTOMER', text: 'How long', ts: '1764000000.000100' },
    });
    expect(parse(edited)).toEqual({ kind: 'edit', externalMessageId: `${SHARED_CHANNEL}:1764000000.000100`, text: 'How long does delivery take to Oslo?' });
    const deleted = eventCallback({ type: 'message', subtype: 'message_deleted', channel: SHARED_CHANNEL, ts: '1764000080.000600', deleted_ts: '1764000000.000100' });
    expect(parse(deleted)).toEqual({ kind: 'delete', externalMessageId: `${SHARED_CHANNEL}:1764000000.000100` });
  });

  it("answers Slack's URL check with its challenge", () => {
    expect(parse({ token: 't', challenge: 'ch4ll3nge', type: 'url_verification' })).toEqual({ kind: 'challenge', challenge: 'ch4ll3nge' });
  });

  it('reads a ✅ reaction as a possible resolution, and other emoji as nothing', () => {
    const reaction = (name: string) => eventCallback({ type: 'reaction_added', user: 'U0STAFF', reaction: name, item: { type: 'message', channel: SHARED_CHANNEL, ts: '1764000000.000100' }, item_user: 'U0CUSTOMER', event_ts: '1764000090.000700' });
    expect(parse(reaction('white_check_mark'))).toEqual({ kind: 'reaction', user: 'U0STAFF', channel: SHARED_CHANNEL, ts: '1764000000.000100', eventTs: '1764000090.000700' });
    expect(parse(reaction('tada')).kind).toBe('ignored');
  });

  it('reads an uninstall or a revoked bot token as the end of the install, and a revoked user token as nothing', () => {
    expect(parse(eventCallback({ type: 'app_uninstalled', event_ts: '1764000095.000000' })).kind).toBe('uninstalled');
    expect(parse(eventCallback({ type: 'tokens_revoked', tokens: { oauth: [], bot: [BOT_USER] }, event_ts: '1' })).kind).toBe('uninstalled');
    expect(parse(eventCallback({ type: 'tokens_revoked', tokens: { oauth: ['U0STAFF'], bot: [] }, event_ts: '1' })).kind).toBe('ignored');
  });

  it('finds the installation among the teams a request names', () => {
    const body = readSlackBody(JSON.stringify(eventCallback(customerMessage('hi'))), 'application/json');
    expect(body && teamIdsOf(body)).toEqual([OUR_TEAM]);
  });
});

describe('Slack button clicks', () => {
  const click = (actionId: string) => ({
    type: 'block_actions',
    team: { id: CUSTOMER_TEAM, domain: 'acme' },
    user: { id: 'U0CUSTOMER', username: 'ada', name: 'ada', team_id: CUSTOMER_TEAM },
    api_app_id: 'A0APP',
    container: { type: 'message', message_ts: '1764000010.000900', channel_id: SHARED_CHANNEL, is_ephemeral: false, thread_ts: '1764000000.000100' },
    channel: { id: SHARED_CHANNEL, name: 'shared-acme' },
    message: { type: 'message', ts: '1764000010.000900', thread_ts: '1764000000.000100', bot_id: 'B0OURS' },
    actions: [{ action_id: actionId, block_id: 'cs_feedback', value: 'm-1', type: 'button', action_ts: '1764000100.123456' }],
  });

  it('reads "Talk to a person" as a hand-off request in the thread, in words the agent understands', () => {
    const form = `payload=${encodeURIComponent(JSON.stringify(click('cs_handoff')))}`;
    const body = readSlackBody(form, 'application/x-www-form-urlencoded');
    expect(body?.kind).toBe('interaction');
    const message = messageOf(parseSlackInteraction(body!.kind === 'interaction' ? body!.payload : null, ctx, at));
    expect(message).toMatchObject({
      externalThreadId: `${SHARED_CHANNEL}:1764000000.000100`,
      sender: { externalUserId: `${CUSTOMER_TEAM}:U0CUSTOMER` },
      parts: [{ type: 'text', text: 'Talk to a person' }],
      channelData: { action: 'handoff' },
    });
  });

  it('reads "This solved it" as a resolution', () => {
    expect(messageOf(parseSlackInteraction(click('cs_resolved'), ctx, at)).channelData.action).toBe('resolved');
    expect(parseSlackInteraction(click('someone_elses_button'), ctx, at).kind).toBe('ignored');
  });

  it('reads a button of the satisfaction question as that rating, not as a resolution', () => {
    const message = messageOf(parseSlackInteraction(click('cs_csat_4'), ctx, at));
    expect(message.parts).toEqual([{ type: 'text', text: 'Rated 4 of 5' }]);
    expect(message.channelData.csatRating).toBe(4);
    expect(message.channelData.action).toBeUndefined();
    expect(parseSlackInteraction(click('cs_csat_9'), ctx, at).kind).toBe('ignored');
  });
});
