import { performance } from 'perf_hooks';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { inboundMessageSchema, textOf, type Envelope, type InboundMessage } from '@cs/contracts';
import { messagesIn, replyLatency } from '@cs/config';
import type { BusMessage } from '@cs/messaging';
import { InboundRecorder } from '../conversations/inbound-recorder.service';
import { ReplyRecorder } from '../conversations/reply-recorder.service';
import { ReplyPublisher } from '../conversations/reply-publisher.service';
import { CsatSurveys } from '../conversations/csat-survey.service';
import { TurnService } from '../pipeline/turn.service';
import type { Turn } from '../pipeline/pipeline.types';

export type TurnOutcome = 'invalid' | 'unknown_tenant' | 'republished' | 'silent' | 'replied' | 'handed_off' | 'rated';

/**
 * One inbound message, start to finish (ARCHITECTURE.md, "The agent's pipeline"): store it, have
 * TurnService run the stages (guard, understand, decide, retrieve, generate, check), store the reply,
 * publish it. Resolves only when everything is stored and published, so the bus acks nothing
 * unfinished; throws to have the message redelivered, which the stored rows make safe.
 */
@Injectable()
export class InboundPipeline {
  private readonly logger = new Logger(InboundPipeline.name);

  constructor(
    @Inject(InboundRecorder) private readonly inboundRecorder: InboundRecorder,
    @Inject(ReplyRecorder) private readonly replyRecorder: ReplyRecorder,
    @Inject(ReplyPublisher) private readonly publisher: ReplyPublisher,
    @Inject(TurnService) private readonly turns: TurnService,
    @Inject(CsatSurveys) private readonly csat: CsatSurveys,
  ) {}

  async handle(message: BusMessage): Promise<TurnOutcome> {
    const startedAt = performance.now();
    const parsed = inboundMessageSchema.safeParse(message.envelope?.data);
    if (!parsed.success || !message.envelope?.tenantId) {
      // Redelivering a malformed payload can never succeed: log it and let it be acked.
      this.logger.warn(`dropping invalid inbound ${message.subject} #${message.seq}: ${parsed.error?.message ?? 'no tenant'}`);
      return 'invalid';
    }
    const inbound = parsed.data;
    const envelope = { ...message.envelope, data: inbound } as Envelope<InboundMessage>;

    // "5" to our satisfaction question is a rating for the resolved conversation, not a new question.
    if (await this.csat.answer(envelope, inbound)) return 'rated';

    const stored = await this.inboundRecorder.record(envelope, inbound);
    if (!stored) {
      this.logger.warn(`dropping inbound for unknown tenant ${envelope.tenantId}`);
      return 'unknown_tenant';
    }
    if (!stored.conversationId) return 'silent';
    const address = { envelope, inbound, conversationId: stored.conversationId, inboundMessageId: stored.inboundMessageId };
    if (stored.existingReply) {
      await this.publisher.publishReply(address, stored.existingReply);
      return 'republished';
    }
    if (stored.isNew) {
      messagesIn.inc({ channel: inbound.channel });
      const authorKind = inbound.channelData.staff === true ? 'person' : 'contact';
      this.publisher.emitMessage(address, { id: stored.inboundMessageId, direction: 'in', authorKind, text: textOf(inbound.parts) });
    }
    // "This solved it", a staff ✅: announced like a resolution in the console (webhooks, the survey).
    if (stored.conversationStatus === 'resolved' && inbound.channelData.action === 'resolved') await this.publisher.publishResolved(address);

    const turn: Turn = { ...address, tenantId: envelope.tenantId, ...stored, conversationId: stored.conversationId, text: textOf(inbound.parts), startedAt, timings: {} };
    const reply = await this.turns.run(turn, () => this.publisher.emitTyping(address));
    if (!reply) return 'silent';
    const { draft, trace } = reply;

    const recorded = await this.replyRecorder.record(turn, draft, trace);
    if (!recorded.reply) return 'silent';
    await this.publisher.publishReply(address, recorded.reply);
    replyLatency.observe({ channel: inbound.channel }, (performance.now() - startedAt) / 1000);
    return draft.handoff ? 'handed_off' : 'replied';
  }
}
