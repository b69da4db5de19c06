import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { BusSubjects, MESSAGE_TYPES, conversationEventSchema, makeEnvelope, newId, parseOrThrow } from '@cs/contracts';
import { BUS, type Bus } from '@cs/messaging';
import { Conversation } from '@cs/persistence';

/** Body of `POST /api/v1/channels/api/conversations/:id/csat`: the customer's answer to "how satisfied were you?". */
export const csatBodySchema = z.object({
  rating: z.number().int().min(1).max(5).meta({ description: '1 = very dissatisfied … 5 = very satisfied' }),
});

export interface CsatView {
  conversationId: string;
  rating: number;
  ratedAt: string;
}

/**
 * Stores the customer's satisfaction rating of a conversation (the shop's own survey collects it
 * and forwards it with its API key; the widget sends its own). One per conversation: a new rating
 * replaces the earlier one, so a customer who changes their mind is counted once, with their latest
 * answer. Each rating is announced after the commit as the durable event `conv.csat.<tenantId>`
 * (outbound webhooks, analytics consumers).
 */
@Injectable()
export class CsatService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(BUS) private readonly bus: Bus,
  ) {}

  async rate(tenantId: string, conversationId: string, body: unknown): Promise<CsatView> {
    // Checked before the body: another tenant's conversation is a 404 whatever the body says.
    const conversation = await this.db.getRepository(Conversation).findOne({ where: { id: conversationId, tenantId } });
    if (!conversation) throw new NotFoundException(`no conversation ${conversationId}`);
    const { rating } = parseOrThrow(csatBodySchema, body ?? {});
    const [row] = (await this.db.query(
      `INSERT INTO conversation_feedback (id, tenant_id, conversation_id, rating) VALUES ($1, $2, $3, $4)
       ON CONFLICT (conversation_id) DO UPDATE SET rating = EXCLUDED.rating, rated_at = now()
         WHERE conversation_feedback.tenant_id = EXCLUDED.tenant_id
       RETURNING rating, rated_at`,
      [newId(), tenantId, conversationId, rating],
    )) as { rating: number; rated_at: Date }[];
    const view = { conversationId, rating: Number(row.rating), ratedAt: new Date(row.rated_at).toISOString() };
    const event = parseOrThrow(conversationEventSchema, {
      conversationId,
      channel: conversation.channel,
      externalThreadId: conversation.externalThreadId ?? undefined,
      status: conversation.status,
      detail: { rating: view.rating, ratedAt: view.ratedAt },
    });
    await this.bus.publish(BusSubjects.convEvent('csat', tenantId), makeEnvelope(MESSAGE_TYPES.conversation, tenantId, event, { conversationId }));
    return view;
  }
}
