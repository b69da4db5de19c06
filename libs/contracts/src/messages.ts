import { z } from 'zod';
import { channelDataSchema } from './channel-data';

export const CHANNELS = ['webchat', 'api', 'email', 'sms', 'voice', 'slack'] as const;
export type Channel = (typeof CHANNELS)[number];

export const partSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('html'), html: z.string() }),
  z.object({
    type: z.literal('image'),
    attachmentId: z.string().optional(),
    url: z.string().optional(),
    name: z.string().optional(),
    mimeType: z.string().optional(),
    size: z.number().optional(),
    /** A picture inside the body (an email signature's logo), not a file the customer sent. */
    inline: z.boolean().optional(),
  }),
  z.object({
    type: z.literal('file'),
    attachmentId: z.string().optional(),
    url: z.string().optional(),
    name: z.string().optional(),
    mimeType: z.string().optional(),
    size: z.number().optional(),
  }),
  z.object({ type: z.literal('audio'), attachmentId: z.string().optional(), url: z.string().optional(), mimeType: z.string().optional() }),
  z.object({ type: z.literal('location'), lat: z.number(), lng: z.number(), label: z.string().optional() }),
  z.object({
    type: z.literal('source'),
    title: z.string(),
    url: z.string().optional(),
    articleId: z.string().optional(),
  }),
  z.object({
    type: z.literal('actions'),
    actions: z.array(z.object({ id: z.string(), label: z.string() })),
  }),
]);
export type MessagePart = z.infer<typeof partSchema>;

/** The files a customer sent with a message (stored attachments; inline pictures of an email's body not counted). */
export function sentFilesOf(parts: readonly MessagePart[]): Extract<MessagePart, { type: 'image' | 'file' | 'audio' }>[] {
  return parts.filter(
    (p): p is Extract<MessagePart, { type: 'image' | 'file' | 'audio' }> =>
      (p.type === 'image' || p.type === 'file' || p.type === 'audio') && !!p.attachmentId && !(p.type === 'image' && p.inline),
  );
}

export const senderSchema = z.object({
  externalUserId: z.string().min(1),
  address: z.string().optional(),
  displayName: z.string().optional(),
});

/** `cs.msg.in.*` data: what a connector makes of one vendor message. */
export const inboundMessageSchema = z.object({
  connectorId: z.string().min(1),
  channel: z.enum(CHANNELS),
  channelAccountId: z.string().min(1),
  externalMessageId: z.string().min(1),
  externalThreadId: z.string().optional(),
  sender: senderSchema,
  recipient: z.string().optional(),
  receivedAt: z.string(),
  parts: z.array(partSchema),
  channelData: channelDataSchema.default({}),
});
export type InboundMessage = z.infer<typeof inboundMessageSchema>;

export const AUTHOR_KINDS = ['contact', 'bot', 'person', 'system'] as const;
export type AuthorKind = (typeof AUTHOR_KINDS)[number];

/**
 * What the agent did with a customer's message, for a client that must not guess it from the text:
 * `answered` (reason `answered`, `clarifying_question`, `smalltalk` or `action`) or `handoff` (reason:
 * the hand-off code, `no_confident_answer`, `customer_asked_for_person`, ...). Codes are open strings
 * on the wire so that a new reason reaches clients without a contract change.
 */
export const REPLY_OUTCOME_KINDS = ['answered', 'handoff'] as const;
export const replyOutcomeSchema = z.object({ kind: z.enum(REPLY_OUTCOME_KINDS), reason: z.string().min(1) });
export type ReplyOutcome = z.infer<typeof replyOutcomeSchema>;

/**
 * The outcome recorded in a bot reply's trace (`handoff`, `generator`, `decision`, as traceOf in the
 * agent writes them); undefined for a trace that is not a turn's (a person's reply, an old row).
 */
export function replyOutcomeOf(trace: Record<string, unknown> | null | undefined): ReplyOutcome | undefined {
  if (!trace || typeof trace.decision !== 'string') return undefined;
  const handoff = trace.handoff as { reason?: unknown } | undefined;
  if (handoff && typeof handoff.reason === 'string') return { kind: 'handoff', reason: handoff.reason };
  if (trace.generator === 'clarify') return { kind: 'answered', reason: 'clarifying_question' };
  if (trace.generator === 'action') return { kind: 'answered', reason: 'action' };
  if (trace.decision === 'smalltalk') return { kind: 'answered', reason: 'smalltalk' };
  return { kind: 'answered', reason: 'answered' };
}

/** `cs.msg.out.*` data: a reply (from the agent or a person) for a connector to deliver. */
export const outboundMessageSchema = z.object({
  messageId: z.string().min(1),
  conversationId: z.string().min(1),
  replyToMessageId: z.string().optional(),
  connectorId: z.string().min(1),
  channel: z.enum(CHANNELS),
  channelAccountId: z.string().min(1),
  target: z.object({
    externalUserId: z.string().min(1),
    address: z.string().optional(),
    externalThreadId: z.string().optional(),
  }),
  authorKind: z.enum(AUTHOR_KINDS),
  authorName: z.string().optional(),
  parts: z.array(partSchema),
  /**
   * ISO 639-1 code of the language the reply is written in, for the text a connector wraps around
   * it (an email's greeting, quote header...). Unset: the connector's default, English. Any
   * two-letter code passes, so a language one connector has no wording for yet is not an error.
   */
  language: z.string().regex(/^[a-z]{2}$/).optional(),
  channelData: channelDataSchema.default({}),
  idempotencyKey: z.string().min(1),
  /** The agent's replies only: whether it answered or handed off, and why. */
  outcome: replyOutcomeSchema.optional(),
});
export type OutboundMessage = z.infer<typeof outboundMessageSchema>;

export const DELIVERY_STATES = ['sent', 'delivered', 'read', 'failed'] as const;
/** Why a message failed, when a vendor told us after the send: a mail bounced, a carrier gave up. */
export const DELIVERY_FAILURE_REASONS = ['bounced', 'undelivered'] as const;
/**
 * What a connector learned about one of our messages (returned, never written by the connector),
 * and, once `DeliveryRecorder` has written it, the `cs.msg.status.*` data.
 */
export const deliveryStatusSchema = z.object({
  messageId: z.string().optional(),
  externalMessageId: z.string().optional(),
  connectorId: z.string(),
  state: z.enum(DELIVERY_STATES),
  /** Our code (a `ConnectorError` code, `BOUNCED`) or, for carrier reports, the vendor's. */
  errorCode: z.string().optional(),
  errorMessage: z.string().optional(),
  reason: z.enum(DELIVERY_FAILURE_REASONS).optional(),
  /** The vendor's own code, kept verbatim (a Twilio error code, a DSN status such as `5.1.1`). */
  vendorCode: z.string().optional(),
});
export type DeliveryStatus = z.infer<typeof deliveryStatusSchema>;

/** `cs.conv.<event>.*` data. */
export const conversationEventSchema = z.object({
  conversationId: z.string(),
  channel: z.enum(CHANNELS),
  externalThreadId: z.string().optional(),
  status: z.string().optional(),
  messageId: z.string().optional(),
  detail: z.record(z.string(), z.unknown()).default({}),
});
export type ConversationEvent = z.infer<typeof conversationEventSchema>;

export const MESSAGE_TYPES = {
  inbound: 'message.inbound',
  outbound: 'message.outbound',
  status: 'message.status',
  conversation: 'conversation.event',
} as const;

export function textOf(parts: MessagePart[]): string {
  return parts
    .filter((p): p is Extract<MessagePart, { type: 'text' }> => p.type === 'text')
    .map((p) => p.text)
    .join('\n')
    .trim();
}

/** Core `conv.delta.<tenantId>`: a piece of a streamed answer, before its checks have run. */
export const liveDeltaSchema = z.object({
  conversationId: z.string(),
  replyToMessageId: z.string(),
  channel: z.string().optional(),
  externalThreadId: z.string().optional(),
  index: z.number().int().nonnegative(),
  delta: z.string(),
  provisional: z.boolean().optional(),
});
export type LiveDelta = z.infer<typeof liveDeltaSchema>;
