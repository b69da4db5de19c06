import { Inject, Injectable } from '@nestjs/common';
import { BusSubjects, LEARNING_EVENT_TYPE, learningEventSchema, makeEnvelope, parseOrThrow, type LearningEventName } from '@cs/contracts';
import { BUS, type Bus } from '@cs/messaging';
import type { z } from 'zod';

/**
 * The agent's learning events (`learn.<event>.<tenantId>`, durable; outbound webhooks deliver them).
 * The message id is derived from the subject of the event, so a redelivered handler publishing again
 * is dropped by the bus.
 */
@Injectable()
export class LearningEvents {
  constructor(@Inject(BUS) private readonly bus: Bus) {}

  async publish(event: LearningEventName, tenantId: string, data: z.input<typeof learningEventSchema>): Promise<void> {
    const parsed = parseOrThrow(learningEventSchema, data);
    await this.bus.publish(BusSubjects.learnEvent(event, tenantId), makeEnvelope(LEARNING_EVENT_TYPE, tenantId, parsed, { conversationId: parsed.conversationId }), {
      msgId: `${event}:${parsed.suggestionId ?? parsed.gapId ?? parsed.articleId ?? parsed.modelVersionId}`,
    });
  }
}
