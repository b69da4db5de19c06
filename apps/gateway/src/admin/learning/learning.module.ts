import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { KnowledgeModule } from '../knowledge/knowledge.module';
import { KnowledgeGapsController, SuggestedArticlesController } from './learning.controller';
import { KnowledgeGapsService } from './knowledge-gaps.service';
import { ConsoleLearningEvents } from './learning-events.publisher';
import { SuggestedArticlesService } from './suggested-articles.service';

/** The learning loop in the console (issue 18): knowledge gaps and the review queue of suggested articles. */
@Module({
  imports: [AuthModule, KnowledgeModule],
  controllers: [KnowledgeGapsController, SuggestedArticlesController],
  providers: [KnowledgeGapsService, SuggestedArticlesService, ConsoleLearningEvents],
})
export class LearningModule {}
