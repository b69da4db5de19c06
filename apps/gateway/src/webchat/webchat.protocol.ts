import { z } from 'zod';
import { clientMessageIdSchema, replyOutcomeSchema } from '@cs/contracts';
import { csatBodySchema } from '../api-channel/csat.service';

/**
 * The widget's WebSocket protocol (`/ws/chat?key=<widgetKey>&session=<sessionId>`).
 *
 * client → server: `resume` (once per connection, with the last message id it has seen, or null),
 *                  `message` (a `clientId` the widget keeps when it resends), `ping`,
 *                  `feedback` ("did this answer your question?" about one of the bot's answers;
 *                  acked or refused under the clientId `feedbackClientId(messageId)`),
 *                  `rating` (the customer's 1–5 satisfaction with the conversation; answered `rated`).
 * server → client: `message` (stored messages, history and live, ordered by id), `ack` (the
 *                  message is accepted; the widget stops resending it), `typing`, `error`, `pong`, `rated`.
 */
export const MAX_WEBCHAT_TEXT = 4000;

/** A session id is a bus subject token: letters, digits, `-` and `_` only. */
export const sessionIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,100}$/);
export const widgetKeySchema = z.string().regex(/^[A-Za-z0-9_-]{4,200}$/);

export const clientFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('resume'), after: z.uuid().nullable().default(null) }),
  z.object({
    type: z.literal('message'),
    clientId: clientMessageIdSchema,
    text: z.string().trim().min(1).max(MAX_WEBCHAT_TEXT),
  }),
  z.object({ type: z.literal('ping') }),
  z.object({ type: z.literal('feedback'), messageId: z.uuid(), helpful: z.boolean() }),
  z.object({ type: z.literal('rating'), conversationId: z.uuid(), rating: csatBodySchema.shape.rating }),
]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;

/**
 * The widget's id for its answer about one bot message: the same for "yes" and "no", so the
 * message store keeps one answer per bot message whatever is clicked, however often.
 */
export function feedbackClientId(messageId: string): string {
  return `feedback-${messageId}`;
}

export const chatMessageSchema = z.object({
  id: z.string().min(1),
  conversationId: z.string().min(1),
  direction: z.enum(['in', 'out']),
  authorKind: z.enum(['contact', 'bot', 'person', 'system']),
  authorName: z.string().optional(),
  text: z.string().default(''),
  parts: z.array(z.record(z.string(), z.unknown())).default([]),
  createdAt: z.union([z.string(), z.number()]).transform((v) => new Date(v).toISOString()),
  clientId: z.string().optional(),
  /** The agent's replies: `answered` or `handoff`, and why as a code. */
  outcome: replyOutcomeSchema.optional(),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

/** What connectors emit on `webchat.deliver.<sessionId>`: exactly the frames a socket gets. */
export const deliveryFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message'), message: chatMessageSchema }),
  z.object({ type: z.literal('typing'), conversationId: z.string().min(1) }),
  z.object({
    type: z.literal('delta'),
    conversationId: z.string().min(1),
    replyToMessageId: z.string().min(1),
    index: z.number().int().nonnegative(),
    delta: z.string(),
  }),
]);
export type DeliveryFrame = z.infer<typeof deliveryFrameSchema>;

export type ServerFrame =
  | DeliveryFrame
  | { type: 'ack'; clientId: string }
  | { type: 'error'; code: string; message: string; clientId?: string }
  | { type: 'pong' }
  | { type: 'rated'; conversationId: string; rating: number };
