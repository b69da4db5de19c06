import { Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { newId } from '@cs/contracts';
import { KnowledgeImport, type KnowledgeImportError } from '@cs/persistence';
import { AuditService } from '../../audit/audit.service';
import type { Principal } from '../../auth/principal';
import { ArticlesService } from '../articles.service';
import { parseImportFile, slugOf, type ImportedArticle } from './article-parsers';

export interface ImportFile {
  name: string;
  content: string;
}

/**
 * Bulk import of Markdown, HTML, CSV and JSON files. Files are parsed up front (a broken file is
 * reported, the others still go in); the articles are then saved one by one in the background,
 * the job row counting progress for the console to poll. An article whose slug exists is updated.
 */
@Injectable()
export class KnowledgeImportService {
  private readonly logger = new Logger(KnowledgeImportService.name);

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly articles: ArticlesService,
    private readonly audit: AuditService,
  ) {}

  async start(caller: Principal, tenantId: string, files: ImportFile[]): Promise<KnowledgeImport> {
    const errors: KnowledgeImportError[] = [];
    const work: { file: string; article: ImportedArticle }[] = [];
    for (const file of files) {
      try {
        for (const article of parseImportFile(file.name, file.content)) work.push({ file: file.name, article });
      } catch (error) {
        errors.push({ file: file.name, message: (error as Error).message });
      }
    }
    const job = await this.db.manager.save(
      this.db.manager.create(KnowledgeImport, { id: newId(), tenantId, status: 'running', total: work.length, failed: errors.length, errors, finishedAt: null }),
    );
    await this.audit.record(caller, 'knowledge.import', { type: 'knowledge_import', id: job.id }, { files: files.map((f) => f.name), articles: work.length });
    void this.run(job, work).catch((error: Error) => this.logger.error(`import ${job.id} stopped: ${error.message}`, error.stack));
    return job;
  }

  async get(tenantId: string, id: string): Promise<KnowledgeImport> {
    const job = await this.db.manager.findOne(KnowledgeImport, { where: { id, tenantId } });
    if (!job) throw new NotFoundException('no such import');
    return job;
  }

  private async run(job: KnowledgeImport, work: { file: string; article: ImportedArticle }[]): Promise<void> {
    for (const { file, article } of work) {
      try {
        const outcome = await this.articles.upsert(job.tenantId, article);
        job[outcome]++;
      } catch (error) {
        job.failed++;
        job.errors.push({ file, message: `${slugOf(article)}: ${(error as Error).message}` });
      }
      job.processed++;
      await this.save(job);
    }
    job.status = job.created + job.updated + job.unchanged === 0 && job.errors.length > 0 ? 'failed' : 'done';
    job.finishedAt = new Date();
    await this.save(job);
  }

  private async save(job: KnowledgeImport): Promise<void> {
    const { processed, created, updated, unchanged, failed, status, finishedAt } = job;
    await this.db.manager.update(KnowledgeImport, { id: job.id }, { processed, created, updated, unchanged, failed, status, finishedAt });
    await this.db.query('UPDATE knowledge_imports SET errors = $2 WHERE id = $1', [job.id, JSON.stringify(job.errors)]);
  }
}
