import { z } from 'zod';

/**
 * The parts of Slack's Events API and interaction payloads we read. Loose on purpose: Slack adds
 * fields all the time, and an unknown event must be acknowledged, not refused.
 */
const fileSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  mimetype: z.string().optional(),
  size: z.number().optional(),
  url_private: z.string().optional(),
  permalink: z.string().optional(),
});

const userProfileSchema = z.object({
  real_name: z.string().optional(),
  display_name: z.string().optional(),
  name: z.string().optional(),
  team: z.string().optional(),
});

export const slackMessageEventSchema = z.object({
  type: z.literal('message'),
  subtype: z.string().optional(),
  channel: z.string(),
  channel_type: z.string().optional(),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  bot_profile: z.unknown().optional(),
  app_id: z.string().optional(),
  text: z.string().optional(),
  ts: z.string(),
  thread_ts: z.string().optional(),
  team: z.string().optional(),
  user_team: z.string().optional(),
  source_team: z.string().optional(),
  user_profile: userProfileSchema.optional(),
  files: z.array(fileSchema).optional(),
  /** message_changed: the message as it is now, and as it was. */
  message: z
    .object({ ts: z.string(), text: z.string().optional(), user: z.string().optional(), bot_id: z.string().optional(), thread_ts: z.string().optional() })
    .optional(),
  previous_message: z.object({ ts: z.string(), bot_id: z.string().optional() }).optional(),
  /** message_deleted */
  deleted_ts: z.string().optional(),
  event_ts: z.string().optional(),
});
export type SlackMessageEvent = z.infer<typeof slackMessageEventSchema>;

export const slackReactionEventSchema = z.object({
  type: z.literal('reaction_added'),
  user: z.string(),
  reaction: z.string(),
  item: z.object({ type: z.string(), channel: z.string().optional(), ts: z.string().optional() }),
  event_ts: z.string(),
});
export type SlackReactionEvent = z.infer<typeof slackReactionEventSchema>;

export const slackEnvelopeSchema = z.object({
  type: z.string(),
  token: z.string().optional(),
  challenge: z.string().optional(),
  team_id: z.string().optional(),
  api_app_id: z.string().optional(),
  event_id: z.string().optional(),
  event_time: z.number().optional(),
  is_ext_shared_channel: z.boolean().optional(),
  authorizations: z
    .array(z.object({ team_id: z.string().nullish(), user_id: z.string().nullish(), is_bot: z.boolean().optional() }))
    .optional(),
  event: z.record(z.string(), z.unknown()).optional(),
});
export type SlackEnvelope = z.infer<typeof slackEnvelopeSchema>;

export const slackBlockActionsSchema = z.object({
  type: z.literal('block_actions'),
  team: z.object({ id: z.string() }).nullish(),
  user: z.object({ id: z.string(), team_id: z.string().optional(), name: z.string().optional(), username: z.string().optional() }),
  channel: z.object({ id: z.string() }).optional(),
  container: z.object({ channel_id: z.string().optional(), message_ts: z.string().optional(), thread_ts: z.string().optional() }).optional(),
  message: z.object({ ts: z.string(), thread_ts: z.string().optional() }).optional(),
  actions: z.array(z.object({ action_id: z.string(), action_ts: z.string().optional(), value: z.string().optional() })),
});
export type SlackBlockActions = z.infer<typeof slackBlockActionsSchema>;
