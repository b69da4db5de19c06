import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ArticleVersionsController } from './article-versions.controller';
import { ArticleVersionsService } from './article-versions.service';
import { ArticlesController } from './articles.controller';
import { ArticlesService } from './articles.service';
import { KnowledgeImportService } from './import/knowledge-import.service';
import { KnowledgeToolsController } from './knowledge-tools.controller';
import { KnowledgeTryService } from './knowledge-try.service';

@Module({
  imports: [AuthModule],
  controllers: [ArticlesController, ArticleVersionsController, KnowledgeToolsController],
  providers: [ArticlesService, ArticleVersionsService, KnowledgeImportService, KnowledgeTryService],
  exports: [ArticlesService],
})
export class KnowledgeModule {}
