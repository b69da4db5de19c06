import { z } from 'zod';
import { LEARNING_EVENTS } from '@cs/contracts';
import { CONVERSATION_EVENT_NAMES } from '../../conversations/conversation-events.publisher';

const url = z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).max(2000);
/** A delivery state of an outgoing message (`message.delivery`: sent, delivered, read, failed). */
export const DELIVERY_EVENT = 'delivery';
/** The learning loop's events (`knowledge.gap_opened`, `knowledge.article_published`...). */
export const WEBHOOK_EVENT_NAMES = [...CONVERSATION_EVENT_NAMES, DELIVERY_EVENT, ...LEARNING_EVENTS] as const;
/** Empty: every event. */
const events = z.array(z.enum(WEBHOOK_EVENT_NAMES)).max(WEBHOOK_EVENT_NAMES.length);

export const createWebhookSchema = z.object({ url, events: events.default([]) });
export type CreateWebhookBody = z.infer<typeof createWebhookSchema>;

export const updateWebhookSchema = z.object({ url: url.optional(), events: events.optional(), active: z.boolean().optional() });
export type UpdateWebhookBody = z.infer<typeof updateWebhookSchema>;

export interface WebhookView {
  id: string;
  url: string;
  events: string[];
  active: boolean;
  lastDeliveryAt: Date | null;
  lastStatus: string | null;
  lastError: string | null;
  createdAt: Date;
}

/** The JSON body of every delivery. */
export interface WebhookPayload {
  /** The event's id: the same on every retry, so receivers can drop repeats. */
  id: string;
  type: string;
  occurredAt: string;
  tenantId: string;
  data: unknown;
}
