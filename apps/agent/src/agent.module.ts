import { Module } from '@nestjs/common';
import { HybridSearch, KnowledgeSearch } from '@cs/knowledge';
import { ContactResolver, ConversationResolver } from '@cs/persistence';
import { InboundController } from './inbound/inbound.controller';
import { CsatSurveyController } from './inbound/csat-survey.controller';
import { CsatSurveys } from './conversations/csat-survey.service';
import { TryController } from './inbound/try.controller';
import { TryTurnService } from './inbound/try-turn.service';
import { InboundPipeline } from './inbound/inbound-pipeline.service';
import { InboundRecorder } from './conversations/inbound-recorder.service';
import { ReplyRecorder } from './conversations/reply-recorder.service';
import { ReplyPublisher } from './conversations/reply-publisher.service';
import { HandoffService } from './conversations/handoff.service';
import { GuardService } from './pipeline/guard/guard.service';
import { UnderstandService } from './pipeline/understand/understand.service';
import { DecideService } from './pipeline/decide/decide.service';
import { ActService } from './pipeline/act/act.service';
import { ActionBackends } from './actions/action-backends.service';
import { ActionLedger } from './actions/action-ledger.service';
import { ActionApprovals } from './actions/action-approvals.service';
import { ActionApprovalsController } from './actions/action-approvals.controller';
import { ShopWebhooks } from './actions/shop-webhooks.service';
import { IdentityCodes } from './actions/identity-codes.service';
import { ShopInstall } from './actions/shop-install.service';
import { ShopWebhooksController } from './actions/shop-webhooks.controller';
import { ConversationNotifier } from './conversations/conversation-notifier.service';
import { RetrieveService } from './pipeline/retrieve/retrieve.service';
import { GenerateService } from './pipeline/generate/generate.service';
import { CheckService } from './pipeline/check/check.service';
import { TurnService } from './pipeline/turn.service';
import { embeddingsProvider, hybridSearchProvider, EMBEDDINGS } from './pipeline/ai/embeddings.provider';
import { IntentModels } from './pipeline/ai/intent-models.service';
import { LlmService } from './llm/llm.service';
import { OrphanFilesJob } from './files/orphan-files.job';
import { LearningController } from './learning/learning.controller';
import { LearningEvents } from './learning/learning-events.publisher';
import { KnowledgeGaps } from './learning/knowledge-gaps.service';
import { ArticleSuggestions } from './learning/article-suggestions.service';
import { UnansweredQuestions } from './learning/unanswered-questions.service';
import { IntentRetraining } from './learning/intent-retraining.service';
import { LearnedIntents } from './learning/learned-intents.service';

/**
 * The agent: consumes `msg.in.>` and answers or hands off. Assumes the global CoreModule (APP_CONFIG,
 * DataSource, BUS, BusTransport); the embedded main and apps/agent/src/main.ts both import it.
 */
@Module({
  controllers: [InboundController, TryController, LearningController, CsatSurveyController, ActionApprovalsController, ShopWebhooksController],
  providers: [
    { provide: KnowledgeSearch, useValue: new KnowledgeSearch() },
    { provide: ContactResolver, useValue: new ContactResolver() },
    { provide: ConversationResolver, useValue: new ConversationResolver() },
    InboundPipeline,
    TryTurnService,
    InboundRecorder,
    ReplyRecorder,
    ReplyPublisher,
    HandoffService,
    CsatSurveys,
    GuardService,
    UnderstandService,
    DecideService,
    ActService,
    ActionBackends,
    ActionLedger,
    ActionApprovals,
    ConversationNotifier,
    ShopWebhooks,
    IdentityCodes,
    ShopInstall,
    RetrieveService,
    GenerateService,
    CheckService,
    TurnService,
    embeddingsProvider,
    hybridSearchProvider,
    IntentModels,
    LlmService,
    LearningEvents,
    KnowledgeGaps,
    UnansweredQuestions,
    LearnedIntents,
    IntentRetraining,
    ArticleSuggestions,
    OrphanFilesJob,
  ],
  exports: [InboundPipeline, KnowledgeSearch, HybridSearch, EMBEDDINGS],
})
export class AgentModule {}
