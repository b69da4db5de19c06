import { Controller, Inject, UseFilters } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { BusSubjects, type ConversationEvent } from '@cs/contracts';
import { BusErrorFilter, type BusMessage } from '@cs/messaging';
import { ArticleSuggestions } from './article-suggestions.service';
import { UnansweredQuestions } from './unanswered-questions.service';

/**
 * The learning loop reads the durable conversation events (durable consumer `learning`, shared by
 * every agent process): a hand-off may open or grow a knowledge gap, a person's reply to a handed-off
 * question becomes a suggested article, a reopened conversation counts its last answer as a
 * miss (staff reopened it, or the customer wrote in it again within 72 h). Everything it writes is keyed by the message it came from, so a redelivery changes nothing.
 */
@Controller()
@UseFilters(BusErrorFilter)
export class LearningController {
  constructor(
    @Inject(UnansweredQuestions) private readonly unanswered: UnansweredQuestions,
    @Inject(ArticleSuggestions) private readonly suggestions: ArticleSuggestions,
  ) {}

  @EventPattern(BusSubjects.convEvents(), { durable: 'learning', concurrency: 4 })
  async onConversationEvent(@Payload() message: BusMessage<ConversationEvent>): Promise<void> {
    const event = message.subject.split('.')[1];
    const { tenantId } = message.envelope;
    const data = message.envelope.data;
    if (event === 'handoff' && data.messageId) {
      await this.unanswered.handedOff(tenantId, data.messageId, typeof data.detail.reason === 'string' ? data.detail.reason : undefined);
    } else if (event === 'assigned' && data.detail.authorKind === 'person' && data.messageId) {
      await this.suggestions.fromReply(tenantId, data.conversationId, data.messageId);
    } else if (event === 'reopened') {
      // Staff reopened it, or the customer wrote again soon after the resolution (then the answer before that message).
      await this.unanswered.reopened(tenantId, data.conversationId, data.detail.by === 'customer' ? data.messageId : undefined);
    }
  }
}
