import { performance } from 'perf_hooks';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { inboundMessageSchema, textOf, type Envelope, type InboundMessage } from '@cs/contracts';
import { AttachmentStore } from '@cs/storage';
import { messagesIn, replyLatency } from '@cs/config';
import type { BusMessage } from '@cs/messaging';
import { InboundRecorder } from '../conversations/inbound-recorder.service';
import { ReplyRecorder } from '../conversations/reply-recorder.service';
import { ReplyPublisher } from '../conversations/reply-publisher.service';
import { CsatSurveys } from '../conversations/csat-survey.service';
import { TurnService } from '../pipeline/turn.service';
import { UnansweredQuestions } from '../learning/unanswered-questions.service';
import { applyExperiment } from '../learning/experiment-arm';
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
    @Inject(AttachmentStore) private readonly files: AttachmentStore,
    @Inject(UnansweredQuestions) private readonly unanswered: UnansweredQuestions,
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
    // The connector stored the files before the message existed; tied to it here, again on a redelivery
    // (a crash between the two), so staff and GDPR find them through the message.
    const files = inbound.parts.filter((p) => 'attachmentId' in p && p.attachmentId).map((p) => (p as { attachmentId: string }).attachmentId);
    if (files.length && stored.inboundMessageId) await this.files.link(envelope.tenantId, stored.inboundMessageId, files);
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
    // Writing again soon after a resolution: a reopen (analytics, experiments, the knowledge gaps, webhooks).
    if (stored.reopened) await this.publisher.publishReopened(address);
    // "This solved it", a staff ✅: announced like a resolution in the console (webhooks, the survey).
    if (stored.conversationStatus === 'resolved' && inbound.channelData.action === 'resolved') await this.publisher.publishResolved(address);

    // "No, this did not help": the answer it rates goes to the knowledge gaps (once per message, so a redelivery is harmless).
    const { action, feedbackFor } = inbound.channelData;
    if (action === 'not_helpful' && typeof feedbackFor === 'string') await this.unanswered.notHelpful(envelope.tenantId, feedbackFor);

    // An A/B test of a reply setting: the conversation's arm (sticky) changes the settings, and the trace says which.
    const experiment = applyExperiment(stored.settings, stored.conversationId);
    const turn: Turn = { ...address, tenantId: envelope.tenantId, ...stored, settings: experiment.settings, conversationId: stored.conversationId, text: textOf(inbound.parts), startedAt, timings: {} };
    const reply = await this.turns.run(turn, () => this.publisher.emitTyping(address));
    if (!reply) return 'silent';
    const { draft } = reply;
    const trace = experiment.assignment ? { ...reply.trace, experiment: experiment.assignment } : reply.trace;

    const recorded = await this.replyRecorder.record(turn, draft, trace);
    if (!recorded.reply) return 'silent';
    await this.publisher.publishReply(address, recorded.reply);
    replyLatency.observe({ channel: inbound.channel }, (performance.now() - startedAt) / 1000);
    return draft.handoff ? 'handed_off' : 'replied';
  }
}
