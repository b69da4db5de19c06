import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { BusSubjects, MESSAGE_TYPES, conversationEventSchema, makeEnvelope, parseOrThrow } from '@cs/contracts';
import { BUS, type Bus } from '@cs/messaging';
import { Conversation, recordCsatRating, type CsatRating } from '@cs/persistence';

/** Body of `POST /api/v1/channels/api/conversations/:id/csat`: the customer's answer to "how satisfied were you?". */
export const csatBodySchema = z.object({
  rating: z.number().int().min(1).max(5).meta({ description: '1 = very dissatisfied … 5 = very satisfied' }),
});

export type CsatView = CsatRating;

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
    const view = await recordCsatRating(this.db, tenantId, conversationId, rating);
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
