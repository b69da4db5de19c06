import { z } from 'zod';
import { InboundMessage, describeZodError } from '@cs/contracts';
import { SUBJECT_TOKEN } from '../../registry/live-message';
import { API_CONNECTOR_ID, API_MAX_TEXT } from './api.definition';

/** What the gateway forwards on `webhook.api` once it has checked the API key and the body. */
export const apiRequestSchema = z.object({
  tenantId: z.string().uuid(),
  /** Becomes a bus subject token (`api.reply.<id>`), so no dots, spaces or wildcards. */
  externalMessageId: z.string().min(1).max(200).regex(SUBJECT_TOKEN, 'must not contain dots, spaces, * or >'),
  text: z.string().trim().min(1).max(API_MAX_TEXT),
  contact: z.object({
    externalId: z.string().min(1).max(200),
    name: z.string().max(200).optional(),
    email: z.string().email().optional(),
  }),
  conversationId: z.string().uuid().optional(),
});
export type ApiRequest = z.infer<typeof apiRequestSchema>;

export type ApiReply = { ok: true; conversationId: string } | { ok: false; status: number; error: string };

export type ParsedApiRequest = { ok: true; request: ApiRequest } | { ok: false; status: 400; error: string };

export function parseApiRequest(payload: unknown): ParsedApiRequest {
  const result = apiRequestSchema.safeParse(payload);
  if (!result.success) return { ok: false, status: 400, error: describeZodError(result.error) };
  return { ok: true, request: result.data };
}

export function toInboundMessage(
  req: ApiRequest,
  channelAccountId: string,
  conversationId: string,
  receivedAt = new Date(),
): InboundMessage {
  const { externalId, name, email } = req.contact;
  return {
    connectorId: API_CONNECTOR_ID,
    channel: 'api',
    channelAccountId,
    externalMessageId: req.externalMessageId,
    externalThreadId: conversationId,
    sender: { externalUserId: externalId, ...(email ? { address: email } : {}), ...(name ? { displayName: name } : {}) },
    receivedAt: receivedAt.toISOString(),
    parts: [{ type: 'text', text: req.text }],
    channelData: {},
  };
}
