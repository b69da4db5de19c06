import { z } from 'zod';
import { clientMessageIdSchema, replyOutcomeSchema } from '@cs/contracts';

export const MAX_API_TEXT = 4000;
export const MAX_WAIT_MS = 30000;

/** Body of `POST /api/v1/channels/api/messages`. */
export const apiMessageBodySchema = z.object({
  text: z.string().trim().min(1).max(MAX_API_TEXT),
  contact: z.object({
    externalId: z.string().trim().min(1).max(200),
    name: z.string().trim().min(1).max(200).optional(),
    email: z.string().trim().email().max(320).optional(),
  }),
  conversationId: z.uuid().optional(),
  /** The client's id for this message, like the `Idempotency-Key` header: a retry with the same one gets the first answer. */
  clientMessageId: clientMessageIdSchema.optional(),
});
export type ApiMessageBody = z.infer<typeof apiMessageBodySchema>;

export const apiMessageQuerySchema = z.object({
  wait: z.coerce.number().int().min(0).max(MAX_WAIT_MS).default(0),
});

export const listMessagesQuerySchema = z.object({
  after: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const uuidParamSchema = z.uuid();

/** What the api connector answers on `webhook.api`. */
export const apiConnectorAnswerSchema = z.union([
  z.object({ ok: z.literal(true), conversationId: z.string().min(1) }),
  z.object({ ok: z.literal(false), status: z.number().int().optional(), error: z.string().optional() }),
]);

/** What the agent's reply looks like on `api.reply.<externalMessageId>`. */
export const apiReplySchema = z.object({
  message: z.object({
    id: z.string(),
    text: z.string().default(''),
    parts: z.array(z.unknown()).default([]),
    authorKind: z.string(),
    createdAt: z.union([z.string(), z.number()]).transform((v) => new Date(v).toISOString()),
    /** The agent's replies: `answered` or `handoff`, and why as a code. */
    outcome: replyOutcomeSchema.optional(),
  }),
});
export type ApiReply = z.infer<typeof apiReplySchema>['message'];

/** The 200 body of `POST /channels/api/messages` (documented in the OpenAPI schema). */
export const apiMessageAnsweredSchema = z.object({ conversationId: z.string(), reply: apiReplySchema.shape.message });
