import { z } from 'zod';
import { CHANNEL_PROFILES, type ConnectorDefinition } from '@cs/contracts';

export const SLACK_CONNECTOR_ID = 'slack';
/** Slack cuts a section block's text at 3000 characters. */
export const SLACK_MAX_TEXT = CHANNEL_PROFILES.slack.maxTextLength;

const field = <T extends z.ZodTypeAny>(schema: T, title: string, description: string, secret = false): T =>
  schema.meta(secret ? { title, description, secret: true } : { title, description }) as T;

const channelIds = z.array(z.string().regex(/^[CGD][A-Z0-9]+$/, 'a Slack channel id such as C0123ABCD')).default([]);

/**
 * One Slack workspace (a self-hosted app of the shop's own, or one OAuth install of ours). The
 * channel account's public key is the team id, so events, which name their team, find it.
 */
export const slackSettingsSchema = z.object({
  botToken: field(z.string().regex(/^xox[bp]-/, 'a bot token starting with xoxb-'), 'Bot token', 'The "Bot User OAuth Token" (xoxb-...) from the app\'s OAuth & Permissions page.', true),
  signingSecret: field(z.string().min(8).optional(), 'Signing secret', 'From the app\'s Basic Information page; every event Slack sends over HTTP is checked with it.', true),
  appToken: field(
    z.string().regex(/^xapp-/, 'an app-level token starting with xapp-').optional(),
    'App-level token (Socket Mode)',
    'Only without a public URL: an xapp- token with connections:write. Events then come over Socket Mode instead of HTTP.',
    true,
  ),
  teamId: field(z.string().regex(/^T[A-Z0-9]+$/, 'a Slack team id such as T0123ABCD'), 'Workspace (team) id', 'The id of your own workspace (T...). Members of it are staff; everyone else in a shared channel is a customer.'),
  supportChannels: field(channelIds, 'More support channels', 'Channel ids (C...) treated as customer channels besides every Slack Connect channel the bot is in.'),
  internalChannels: field(channelIds, 'Internal channels', 'Channel ids where staff may mention the bot to ask the knowledge base; answers there are internal.'),
}).refine((s) => !!s.signingSecret || !!s.appToken, { path: ['signingSecret'], message: 'a signing secret (events over HTTP) or an app-level token (Socket Mode) is needed' });
export type SlackSettings = z.infer<typeof slackSettingsSchema>;

export const slackDefinition: ConnectorDefinition<typeof slackSettingsSchema> = {
  id: SLACK_CONNECTOR_ID,
  channel: 'slack',
  displayName: 'Slack Connect',
  settings: slackSettingsSchema,
  capabilities: { threads: true, attachments: true, maxTextLength: SLACK_MAX_TEXT, typing: true, richText: true },
  publicKeySetting: 'teamId',
};
