import { Inject, Injectable } from '@nestjs/common';
import { BusSubjects, LEARNING_EVENT_TYPE, learningEventSchema, makeEnvelope, parseOrThrow, type LearningEventName } from '@cs/contracts';
import { BUS, type Bus } from '@cs/messaging';
import type { z } from 'zod';

/** The console's learning events (`learn.<event>.<tenantId>`, durable), published after the commit; webhooks deliver them. */
@Injectable()
export class ConsoleLearningEvents {
  constructor(@Inject(BUS) private readonly bus: Bus) {}

  async publish(event: LearningEventName, tenantId: string, data: z.input<typeof learningEventSchema>): Promise<void> {
    const parsed = parseOrThrow(learningEventSchema, data);
    await this.bus.publish(BusSubjects.learnEvent(event, tenantId), makeEnvelope(LEARNING_EVENT_TYPE, tenantId, parsed, { conversationId: parsed.conversationId }));
  }
}
