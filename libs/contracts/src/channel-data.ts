import { z } from 'zod';

/**
 * The channel signals in a message's `channelData` that an app other than the connector that wrote
 * them reads, typed once. Everything else a connector keeps there (email headers, Slack ids, call
 * timings...) stays free-form: only its own connector reads it.
 */
export const channelSignalsSchema = z.object({
  /** Written by someone on the shop's side (a Slack thread reply from the shop's team): never answered, the conversation is theirs. */
  staff: z.boolean().optional(),
  /** A button or reaction rather than words: a confirmed resolution, a request for a person, or an unhelpful answer. */
  action: z.enum(['resolved', 'handoff', 'not_helpful']).optional(),
  /** Needs a person whatever the agent makes of it (a voicemail). */
  needsPerson: z.boolean().optional(),
  /** An email's subject: the conversation's subject, and the reply's "Re:". */
  subject: z.string().optional(),
  /** RFC 3834 `Auto-Submitted` of a machine-written message: answered only when `no`. */
  autoSubmitted: z.string().optional(),
  /** The shop number an SMS was sent to: the reply goes out from it. */
  twilioTo: z.string().optional(),
  /** On an outbound message: the vendor id of the message it answers (API clients wait on it, Slack threads under it). */
  replyToExternalMessageId: z.string().optional(),
  /** A staff question in one of the shop's internal Slack channels: answered there for staff, with no customer buttons. */
  internal: z.boolean().optional(),
  /** The web chat client's own id of a message, so the widget recognises its message in the history. */
  clientId: z.string().optional(),
  /** A satisfaction rating given with a button of our survey (Slack), 1 to 5. */
  csatRating: z.number().int().min(1).max(5).optional(),
});

/** `channelData`: the typed signals, plus whatever else the connector keeps for itself. */
export const channelDataSchema = channelSignalsSchema.catchall(z.unknown());
export type ChannelData = z.infer<typeof channelDataSchema>;

/**
 * The `channelData` of a message the shop sends into an existing conversation outside a turn (a
 * person's reply, an approved action's outcome): threaded under the customer's last message as the
 * agent's replies are (email In-Reply-To, Slack thread), with the conversation's subject when that
 * message has none.
 */
export function threadedChannelData(
  conversation: { channelData: Record<string, unknown>; subject: string | null },
  lastInbound: { channelData: Record<string, unknown>; externalMessageId: string | null } | null | undefined,
): Record<string, unknown> {
  return {
    ...conversation.channelData,
    ...lastInbound?.channelData,
    ...(lastInbound?.externalMessageId ? { replyToExternalMessageId: lastInbound.externalMessageId } : {}),
    ...(conversation.subject && !lastInbound?.channelData.subject ? { subject: conversation.subject } : {}),
  };
}
