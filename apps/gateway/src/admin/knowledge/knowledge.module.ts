import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ArticlesController } from './articles.controller';
import { ArticlesService } from './articles.service';
import { KnowledgeImportService } from './import/knowledge-import.service';
import { KnowledgeToolsController } from './knowledge-tools.controller';
import { KnowledgeTryService } from './knowledge-try.service';

@Module({
  imports: [AuthModule],
  controllers: [ArticlesController, KnowledgeToolsController],
  providers: [ArticlesService, KnowledgeImportService, KnowledgeTryService],
  exports: [ArticlesService],
})
export class KnowledgeModule {}
