/** Events API payloads shaped as Slack sends them (api.slack.com/apis/events-api), trimmed. */
export const OUR_TEAM = 'T0SHOP';
export const CUSTOMER_TEAM = 'T0ACME';
export const BOT_USER = 'U0BOT';
export const SHARED_CHANNEL = 'C0SHARED';

export function eventCallback(event: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    token: 'legacy-verification-token',
    team_id: OUR_TEAM,
    api_app_id: 'A0APP',
    event,
    type: 'event_callback',
    event_id: `Ev${String(event.ts ?? event.event_ts ?? '1').replace('.', '')}`,
    event_time: 1_764_000_000,
    authorizations: [{ enterprise_id: null, team_id: OUR_TEAM, user_id: BOT_USER, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: true,
    event_context: '4-eyJldCI6Im1lc3NhZ2UifQ',
    ...extra,
  };
}

export function customerMessage(text: string, opts: { ts?: string; threadTs?: string; user?: string; team?: string; channel?: string } = {}): Record<string, unknown> {
  const team = opts.team ?? CUSTOMER_TEAM;
  return {
    type: 'message',
    channel: opts.channel ?? SHARED_CHANNEL,
    channel_type: 'channel',
    user: opts.user ?? 'U0CUSTOMER',
    text,
    ts: opts.ts ?? '1764000000.000100',
    ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}),
    team,
    user_team: team,
    source_team: team,
    user_profile: { real_name: 'Ada Customer', display_name: 'ada', name: 'ada', team },
    blocks: [],
  };
}

export function botMessage(text: string, botId: string, opts: { ts?: string; threadTs?: string; user?: string } = {}): Record<string, unknown> {
  return {
    type: 'message',
    channel: SHARED_CHANNEL,
    user: opts.user ?? BOT_USER,
    bot_id: botId,
    app_id: 'A0APP',
    text,
    ts: opts.ts ?? '1764000001.000200',
    ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}),
    team: OUR_TEAM,
    bot_profile: { id: botId, name: 'support-bot', team_id: OUR_TEAM },
  };
}
