import { z } from 'zod';
import { InboundMessage, clientMessageExternalId, describeZodError, type ChannelData, type MessagePart } from '@cs/contracts';
import { SUBJECT_TOKEN } from '../../registry/live-message';
import { WEBCHAT_CONNECTOR_ID, WEBCHAT_MAX_TEXT } from './webchat.definition';

/** What the gateway forwards on `webhook.webchat` for one message typed into the widget. */
/** A file the customer sent from the widget, already stored by the gateway (object storage). */
export const webchatAttachmentSchema = z.object({
  id: z.uuid(),
  name: z.string().max(255).nullable(),
  mimeType: z.string().min(1).max(200),
  size: z.number().int().nonnegative(),
});

export const webchatRequestSchema = z.object({
  widgetKey: z.string().min(1),
  /** The widget's session: the thread key, the visitor's identity and a subject token (`webchat.deliver.<id>`). */
  sessionId: z.string().min(1).max(200).regex(SUBJECT_TOKEN, 'must not contain dots, spaces, * or >'),
  /** The widget's own id for this message: a resend after a reconnect carries the same one. */
  clientId: z.string().min(1).max(200),
  /** May be empty only when a file comes with the message. */
  text: z.string().trim().max(WEBCHAT_MAX_TEXT).default(''),
  attachment: webchatAttachmentSchema.optional(),
  displayName: z.string().trim().max(200).optional(),
  /** The page's Origin, when the gateway knows it; checked against the widget's allowed origins. */
  origin: z.string().optional(),
  /** The customer's "did this answer your question?" about one of the bot's answers (the gateway checked it is theirs). */
  feedback: z.object({ messageId: z.uuid(), helpful: z.boolean() }).optional(),
}).refine((r) => r.text.length > 0 || r.attachment, { path: ['text'], message: 'write a message or send a file' });
export type WebchatRequest = z.infer<typeof webchatRequestSchema>;

export type WebchatReply = { ok: true; tenantId: string } | { ok: false; status: number; error: string };

export type ParsedWebchatRequest = { ok: true; request: WebchatRequest } | { ok: false; status: 400; error: string };

export function parseWebchatRequest(payload: unknown): ParsedWebchatRequest {
  const result = webchatRequestSchema.safeParse(payload);
  if (!result.success) return { ok: false, status: 400, error: describeZodError(result.error) };
  return { ok: true, request: result.data };
}

/** The widget key, read before anything else so an unknown widget learns nothing about validation. */
export function widgetKeyOf(payload: unknown): string | undefined {
  if (!payload || typeof payload !== 'object') return undefined;
  const key = (payload as { widgetKey?: unknown }).widgetKey;
  return typeof key === 'string' && key.length > 0 ? key : undefined;
}

export function isOriginAllowed(allowedOrigins: string[] | undefined, origin: string | undefined): boolean {
  if (!allowedOrigins || allowedOrigins.length === 0 || !origin) return true;
  const normalized = origin.replace(/\/+$/, '').toLowerCase();
  return allowedOrigins.some((o) => o.replace(/\/+$/, '').toLowerCase() === normalized);
}

export function toInboundMessage(req: WebchatRequest, channelAccountId: string, receivedAt = new Date()): InboundMessage {
  return {
    connectorId: WEBCHAT_CONNECTOR_ID,
    channel: 'webchat',
    channelAccountId,
    externalMessageId: clientMessageExternalId(req.sessionId, req.clientId),
    externalThreadId: req.sessionId,
    sender: { externalUserId: req.sessionId, ...(req.displayName ? { displayName: req.displayName } : {}) },
    receivedAt: receivedAt.toISOString(),
    parts: partsOf(req),
    channelData: { clientId: req.clientId, ...(req.feedback ? feedbackData(req.feedback) : {}) },
  };
}

/**
 * Like Slack's "This solved it": a helpful answer resolves the conversation (`action: 'resolved'`,
 * counted as a confirmed automated resolution); an unhelpful one is kept, and not answered.
 */
function feedbackData(feedback: NonNullable<WebchatRequest['feedback']>): ChannelData {
  return { action: feedback.helpful ? 'resolved' : 'not_helpful', feedbackFor: feedback.messageId };
}

function partsOf(req: WebchatRequest): MessagePart[] {
  const parts: MessagePart[] = req.text ? [{ type: 'text', text: req.text }] : [];
  const file = req.attachment;
  if (file) {
    const base = { attachmentId: file.id, mimeType: file.mimeType, size: file.size, ...(file.name ? { name: file.name } : {}) };
    parts.push(file.mimeType.startsWith('image/') ? { type: 'image', ...base } : { type: 'file', ...base });
  }
  return parts;
}
