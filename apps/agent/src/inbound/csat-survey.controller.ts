import { Controller, Inject, UseFilters } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { BusSubjects, conversationEventSchema, type ConversationEvent } from '@cs/contracts';
import { BusErrorFilter, type BusMessage } from '@cs/messaging';
import { CsatSurveys } from '../conversations/csat-survey.service';

/** Every resolution (staff in the console, the customer's "This solved it", a ✅) may earn the satisfaction question. */
@Controller()
@UseFilters(BusErrorFilter)
export class CsatSurveyController {
  constructor(@Inject(CsatSurveys) private readonly surveys: CsatSurveys) {}

  @EventPattern(BusSubjects.convEventAll('resolved'), { durable: 'agent-csat', maxDeliver: 5, backoffMs: [1000, 5000] })
  async onResolved(@Payload() message: BusMessage<ConversationEvent>): Promise<void> {
    const event = conversationEventSchema.safeParse(message.envelope?.data);
    if (!event.success || !message.envelope?.tenantId) return;
    await this.surveys.ask(message.envelope.tenantId, event.data.conversationId);
  }
}
