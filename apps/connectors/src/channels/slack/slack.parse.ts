import type { InboundMessage, MessagePart } from '@cs/contracts';
import { SLACK_CONNECTOR_ID, type SlackSettings } from './slack.definition';
import {
  slackBlockActionsSchema,
  slackEnvelopeSchema,
  slackMessageEventSchema,
  slackReactionEventSchema,
  type SlackEnvelope,
  type SlackMessageEvent,
} from './slack.payloads';
import { mentions, slackToPlainText } from './slack.text';

export const ACTION_RESOLVED = 'cs_resolved';
export const ACTION_HANDOFF = 'cs_handoff';
/** A button of the satisfaction question: `cs_csat_1` … `cs_csat_5`. */
export const ACTION_CSAT_PREFIX = 'cs_csat_';
const ACTION_CSAT = /^cs_csat_([1-5])$/;
/** ✅ and its look-alikes: a staff member's way of saying "done" in Slack. */
export const RESOLVE_REACTIONS = new Set(['white_check_mark', 'heavy_check_mark', 'ballot_box_with_check']);
/** Message subtypes that are someone writing; every other subtype (join, leave, topic, bots...) is not. */
const WRITTEN_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast']);

export interface SlackAccountContext {
  channelAccountId: string;
  settings: SlackSettings;
}

/** What one Slack request amounts to, before anything is published. */
export type SlackInbound =
  | { kind: 'challenge'; challenge: string }
  | { kind: 'message'; message: InboundMessage }
  | { kind: 'edit'; externalMessageId: string; text: string }
  | { kind: 'delete'; externalMessageId: string }
  /** Needs the reacting user's team (a Web API call) before it can be published. */
  | { kind: 'reaction'; user: string; channel: string; ts: string; eventTs: string }
  /** The app was removed from the workspace, or its tokens revoked: the account stops working. */
  | { kind: 'uninstalled'; reason: string }
  | { kind: 'ignored'; reason: string };

export type SlackBody = { kind: 'event'; envelope: SlackEnvelope } | { kind: 'interaction'; payload: unknown };

/** Events arrive as JSON; interactions as a form with one `payload` field holding JSON. */
export function readSlackBody(raw: string, contentType = ''): SlackBody | null {
  try {
    if (contentType.includes('application/x-www-form-urlencoded') || raw.startsWith('payload=')) {
      const payload = new URLSearchParams(raw).get('payload');
      return payload ? { kind: 'interaction', payload: JSON.parse(payload) as unknown } : null;
    }
    const envelope = slackEnvelopeSchema.safeParse(JSON.parse(raw));
    return envelope.success ? { kind: 'event', envelope: envelope.data } : null;
  } catch {
    return null;
  }
}

/** Every team a request names: the installation (authorizations), the event's, the clicking user's. */
export function teamIdsOf(body: SlackBody): string[] {
  const ids: (string | null | undefined)[] = [];
  if (body.kind === 'event') {
    ids.push(...(body.envelope.authorizations ?? []).map((a) => a.team_id), body.envelope.team_id);
  } else {
    const p = body.payload as { team?: { id?: string } | null; user?: { team_id?: string } } | null;
    ids.push(p?.team?.id, p?.user?.team_id);
  }
  return [...new Set(ids.filter((id): id is string => typeof id === 'string' && id.length > 0))];
}

export function parseSlackEvent(envelope: SlackEnvelope, ctx: SlackAccountContext, receivedAt = new Date()): SlackInbound {
  if (envelope.type === 'url_verification' && envelope.challenge) return { kind: 'challenge', challenge: envelope.challenge };
  if (envelope.type !== 'event_callback' || !envelope.event) return { kind: 'ignored', reason: `envelope ${envelope.type}` };
  const type = envelope.event.type;
  if (type === 'app_uninstalled') return { kind: 'uninstalled', reason: 'the Slack app was uninstalled from the workspace' };
  if (type === 'tokens_revoked') {
    const bots = (envelope.event.tokens as { bot?: unknown[] } | undefined)?.bot;
    // Revoking a user's token leaves the bot working; only the bot token matters here.
    if (Array.isArray(bots) && bots.length > 0) return { kind: 'uninstalled', reason: 'the Slack bot token was revoked' };
    return { kind: 'ignored', reason: 'user tokens revoked' };
  }
  if (type === 'reaction_added') {
    const reaction = slackReactionEventSchema.safeParse(envelope.event);
    if (!reaction.success || !RESOLVE_REACTIONS.has(reaction.data.reaction)) return { kind: 'ignored', reason: 'reaction' };
    const { item, user, event_ts } = reaction.data;
    if (item.type !== 'message' || !item.channel || !item.ts) return { kind: 'ignored', reason: 'reaction on something else' };
    return { kind: 'reaction', user, channel: item.channel, ts: item.ts, eventTs: event_ts };
  }
  if (type !== 'message') return { kind: 'ignored', reason: `event ${String(type)}` };
  const event = slackMessageEventSchema.safeParse(envelope.event);
  if (!event.success) return { kind: 'ignored', reason: 'unreadable message event' };
  return parseMessageEvent(event.data, envelope, ctx, receivedAt);
}

function parseMessageEvent(e: SlackMessageEvent, envelope: SlackEnvelope, ctx: SlackAccountContext, receivedAt: Date): SlackInbound {
  const botUserId = envelope.authorizations?.find((a) => a.is_bot !== false)?.user_id ?? undefined;
  if (e.subtype === 'message_changed') {
    if (!e.message || e.message.bot_id) return { kind: 'ignored', reason: 'edit of a bot message' };
    return { kind: 'edit', externalMessageId: messageKey(e.channel, e.message.ts), text: slackToPlainText(e.message.text ?? '', botUserId) };
  }
  if (e.subtype === 'message_deleted') {
    const ts = e.deleted_ts ?? e.previous_message?.ts;
    return ts ? { kind: 'delete', externalMessageId: messageKey(e.channel, ts) } : { kind: 'ignored', reason: 'deletion without ts' };
  }
  // Bots never get an answer, ours included: two bots in one channel would talk forever.
  if (e.bot_id || e.bot_profile || e.subtype === 'bot_message') return { kind: 'ignored', reason: 'bot message' };
  if (!WRITTEN_SUBTYPES.has(e.subtype)) return { kind: 'ignored', reason: `subtype ${e.subtype}` };
  if (!e.user || (botUserId && e.user === botUserId)) return { kind: 'ignored', reason: 'no human author' };

  const { settings } = ctx;
  const userTeam = e.user_team ?? e.team ?? e.user_profile?.team;
  // Without a team the author is a member of the workspace the event was sent to: staff.
  const staff = !userTeam || userTeam === settings.teamId;
  const threadTs = e.thread_ts ?? e.ts;
  const inThread = !!e.thread_ts && e.thread_ts !== e.ts;
  const base = { event: e, envelope, ctx, userTeam: userTeam ?? settings.teamId, threadTs, receivedAt, botUserId };

  if (settings.internalChannels.includes(e.channel)) {
    if (!mentions(e.text, botUserId)) return { kind: 'ignored', reason: 'internal channel, bot not mentioned' };
    return { kind: 'message', message: toInbound(base, { internal: true }) };
  }
  const support = envelope.is_ext_shared_channel === true || settings.supportChannels.includes(e.channel);
  if (!support) return { kind: 'ignored', reason: 'not a support channel' };
  if (staff) {
    // Staff talking in the channel is not a conversation; staff writing in a thread takes it over.
    return inThread ? { kind: 'message', message: toInbound(base, { staff: true }) } : { kind: 'ignored', reason: 'staff top-level message' };
  }
  return { kind: 'message', message: toInbound(base, { company: userTeam }) };
}

interface InboundBase {
  event: SlackMessageEvent;
  envelope: SlackEnvelope;
  ctx: SlackAccountContext;
  userTeam: string;
  threadTs: string;
  receivedAt: Date;
  botUserId?: string;
}

function toInbound(b: InboundBase, flags: Record<string, unknown>): InboundMessage {
  const { event: e, ctx } = b;
  const text = slackToPlainText(e.text ?? '', b.botUserId);
  const parts: MessagePart[] = text ? [{ type: 'text', text }] : [];
  for (const f of e.files ?? []) {
    const url = f.url_private ?? f.permalink;
    if (f.mimetype?.startsWith('image/')) parts.push({ type: 'image', url, mimeType: f.mimetype });
    else parts.push({ type: 'file', url, name: f.name, mimeType: f.mimetype, size: f.size });
  }
  const profile = e.user_profile;
  const displayName = profile?.display_name || profile?.real_name || profile?.name || undefined;
  return {
    connectorId: SLACK_CONNECTOR_ID,
    channel: 'slack',
    channelAccountId: ctx.channelAccountId,
    externalMessageId: messageKey(e.channel, e.ts),
    externalThreadId: messageKey(e.channel, b.threadTs),
    sender: { externalUserId: userKey(b.userTeam, e.user!), ...(displayName ? { displayName } : {}) },
    receivedAt: b.receivedAt.toISOString(),
    parts,
    channelData: {
      ...flags,
      slack: { team: ctx.settings.teamId, channel: e.channel, ts: e.ts, threadTs: b.threadTs, user: e.user, userTeam: b.userTeam, eventId: b.envelope.event_id },
    },
  };
}

/** A button under one of our answers: "This solved it" or "Talk to a person". */
export function parseSlackInteraction(payload: unknown, ctx: SlackAccountContext, receivedAt = new Date()): SlackInbound {
  const parsed = slackBlockActionsSchema.safeParse(payload);
  if (!parsed.success) return { kind: 'ignored', reason: 'not a block action' };
  const p = parsed.data;
  const action = p.actions.find((a) => a.action_id === ACTION_RESOLVED || a.action_id === ACTION_HANDOFF || ACTION_CSAT.test(a.action_id));
  const channel = p.channel?.id ?? p.container?.channel_id;
  const threadTs = p.message?.thread_ts ?? p.container?.thread_ts ?? p.message?.ts;
  if (!action || !channel || !threadTs) return { kind: 'ignored', reason: 'unknown action' };
  const resolved = action.action_id === ACTION_RESOLVED;
  const rating = ACTION_CSAT.exec(action.action_id)?.[1];
  const userTeam = p.user.team_id ?? ctx.settings.teamId;
  const clickedTs = action.action_ts ?? String(receivedAt.getTime() / 1000);
  // The words are the button's label, so a reader of the conversation (or an agent that only
  // reads text) understands the click; `action` (or `csatRating`) says it unambiguously.
  const text = rating ? `Rated ${rating} of 5` : resolved ? 'This solved it' : 'Talk to a person';
  return {
    kind: 'message',
    message: {
      connectorId: SLACK_CONNECTOR_ID,
      channel: 'slack',
      channelAccountId: ctx.channelAccountId,
      externalMessageId: `${messageKey(channel, p.message?.ts ?? threadTs)}:action:${clickedTs}`,
      externalThreadId: messageKey(channel, threadTs),
      sender: { externalUserId: userKey(userTeam, p.user.id), ...(p.user.name ? { displayName: p.user.name } : {}) },
      receivedAt: receivedAt.toISOString(),
      parts: [{ type: 'text', text }],
      channelData: {
        ...(rating ? { csatRating: Number(rating) } : { action: resolved ? ('resolved' as const) : ('handoff' as const) }),
        ...(userTeam === ctx.settings.teamId ? { staff: true } : { company: userTeam }),
        slack: { team: ctx.settings.teamId, channel, ts: p.message?.ts, threadTs, user: p.user.id, userTeam },
      },
    },
  };
}

/** A staff member's ✅ on a message of a thread, once their team is known. */
export function reactionToInbound(
  r: Extract<SlackInbound, { kind: 'reaction' }>,
  externalThreadId: string,
  ctx: SlackAccountContext,
  receivedAt = new Date(),
): InboundMessage {
  const threadTs = splitMessageKey(externalThreadId)?.ts ?? r.ts;
  return {
    connectorId: SLACK_CONNECTOR_ID,
    channel: 'slack',
    channelAccountId: ctx.channelAccountId,
    externalMessageId: `${messageKey(r.channel, r.ts)}:reaction:${r.user}:${r.eventTs}`,
    externalThreadId,
    sender: { externalUserId: userKey(ctx.settings.teamId, r.user) },
    receivedAt: receivedAt.toISOString(),
    parts: [{ type: 'text', text: '✅' }],
    channelData: {
      action: 'resolved',
      staff: true,
      slack: { team: ctx.settings.teamId, channel: r.channel, ts: r.ts, threadTs, user: r.user, userTeam: ctx.settings.teamId },
    },
  };
}

/** Slack message ids: a ts is unique within its channel only. */
export function messageKey(channel: string, ts: string): string {
  return `${channel}:${ts}`;
}

export function splitMessageKey(key: string | undefined): { channel: string; ts: string } | null {
  const m = key ? /^([A-Z0-9]+):(\d+\.\d+)/.exec(key) : null;
  return m ? { channel: m[1], ts: m[2] } : null;
}

/** A Slack user is only unique with their team (Slack Connect brings several teams into one channel). */
export function userKey(team: string, user: string): string {
  return `${team}:${user}`;
}
