import { Inject, Injectable, Logger, NotFoundException, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { newId } from '@cs/contracts';
import { KnowledgeImport, type KnowledgeImportError } from '@cs/persistence';
import { AuditService } from '../../audit/audit.service';
import type { Principal } from '../../auth/principal';
import { ArticlesService } from '../articles.service';
import { parseImportFile, slugOf, type ImportedArticle } from './article-parsers';

/**
 * A running import whose heartbeat (`updated_at`, bumped by every progress write) is older than
 * this lost the process running it. One article takes seconds, so two minutes leaves a wide margin.
 */
export const IMPORT_STALE_AFTER_MS = 2 * 60_000;

export interface ImportFile {
  name: string;
  content: string;
}

/**
 * Bulk import of Markdown, HTML, CSV and JSON files. Files are parsed up front (a broken file is
 * reported, the others still go in); the articles are then saved one by one in the background,
 * the job row counting progress for the console to poll. An article whose slug exists is updated,
 * an identical one left alone, so importing the same files again (after an interruption) is safe.
 */
@Injectable()
export class KnowledgeImportService implements OnApplicationBootstrap {
  private readonly logger = new Logger(KnowledgeImportService.name);

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly articles: ArticlesService,
    private readonly audit: AuditService,
  ) {}

  /** Imports this gateway was running when it died show as failed on restart, not running forever. */
  async onApplicationBootstrap(): Promise<void> {
    // Not fatal: every read of an import runs the same check.
    const failed = await this.failInterrupted().catch((error: Error) => this.logger.warn(`could not check for interrupted imports: ${error.message}`));
    if (failed) this.logger.warn(`marked ${failed} interrupted import(s) failed`);
  }

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
    await this.failInterrupted({ tenantId, id });
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

  /**
   * Marks failed the running imports (all, or the one asked for) whose heartbeat stopped. One
   * conditional UPDATE: when two gateways race, the row lock makes the second see `failed` and skip.
   * The articles saved so far stay; the error says how far it got.
   */
  private async failInterrupted(only?: { tenantId: string; id: string }): Promise<number> {
    const [, count] = (await this.db.query(
      `UPDATE knowledge_imports
          SET status = 'failed', finished_at = now(), updated_at = now(),
              errors = errors || jsonb_build_array(jsonb_build_object('file', '', 'message', format(
                'interrupted: the process running it stopped after %s of %s articles (%s saved, and they stay); importing the same files again is safe',
                processed, total, created + updated + unchanged)))
        WHERE status = 'running' AND updated_at < now() - make_interval(secs => $1)
          AND ($2::uuid IS NULL OR (tenant_id = $2 AND id = $3))`,
      [IMPORT_STALE_AFTER_MS / 1000, only?.tenantId ?? null, only?.id ?? null],
    )) as [unknown[], number];
    return count;
  }

  /** Writes progress and bumps the heartbeat, only while running: once declared interrupted, a slow run stops rather than revive the job. */
  private async save(job: KnowledgeImport): Promise<void> {
    const [, count] = (await this.db.query(
      `UPDATE knowledge_imports
          SET processed = $2, created = $3, updated = $4, unchanged = $5, failed = $6, errors = $7, status = $8, finished_at = $9, updated_at = now()
        WHERE id = $1 AND status = 'running'`,
      [job.id, job.processed, job.created, job.updated, job.unchanged, job.failed, JSON.stringify(job.errors), job.status, job.finishedAt],
    )) as [unknown[], number];
    if (count === 0) throw new Error('it was marked interrupted meanwhile');
  }
}
