import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ValidationFailed } from '@cs/contracts';
import { KnowledgeArticle, SuggestedArticle } from '@cs/persistence';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { decodeCursor, pageOf, type Page } from '../common/cursor';
import { ArticlesService } from '../knowledge/articles.service';
import type { ListSuggestionsQuery, UpdateSuggestionBody } from './dto/learning.dto';
import { ConsoleLearningEvents } from './learning-events.publisher';

/**
 * The review queue of suggested articles (issue 18). A manager edits a draft, then approves it
 * (published through ArticlesService, so it is chunked and searchable by the agent at once: a new
 * article, or a new section of the close article it was matched with) or rejects it. Approving
 * closes the knowledge gap the draft answers.
 */
@Injectable()
export class SuggestedArticlesService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly articles: ArticlesService,
    private readonly audit: AuditService,
    private readonly events: ConsoleLearningEvents,
  ) {}

  async list(tenantId: string, query: ListSuggestionsQuery): Promise<Page<SuggestedArticle>> {
    const qb = this.db.manager
      .createQueryBuilder(SuggestedArticle, 's')
      .where('s.tenant_id = :tenantId AND s.status = :status', { tenantId, status: query.status })
      .orderBy('s.id', 'DESC')
      .limit(query.limit + 1);
    if (query.after) qb.andWhere('s.id < :after', { after: decodeCursor(query.after, ['id'] as const).id });
    return pageOf(await qb.getMany(), query.limit, (row) => row, (row) => ({ id: row.id }));
  }

  async get(tenantId: string, id: string): Promise<SuggestedArticle> {
    const suggestion = await this.db.manager.findOne(SuggestedArticle, { where: { id, tenantId } });
    if (!suggestion) throw new NotFoundException('no such suggested article');
    return suggestion;
  }

  async update(caller: Principal, tenantId: string, id: string, body: UpdateSuggestionBody): Promise<SuggestedArticle> {
    return this.db.transaction(async (manager) => {
      const suggestion = await this.pending(manager, tenantId, id);
      if (body.mergeIntoArticleId && !(await manager.exists(KnowledgeArticle, { where: { id: body.mergeIntoArticleId, tenantId } }))) {
        throw new ValidationFailed([{ path: 'mergeIntoArticleId', message: 'no article of this tenant has this id' }]);
      }
      Object.assign(suggestion, body);
      const saved = await manager.save(suggestion);
      await this.audit.record(caller, 'suggested_article.update', { type: 'suggested_article', id }, { fields: Object.keys(body) }, manager);
      return saved;
    });
  }

  async approve(caller: Principal, tenantId: string, id: string): Promise<SuggestedArticle> {
    const { suggestion, article } = await this.db.transaction(async (manager) => {
      const suggestion = await this.pending(manager, tenantId, id);
      const target = suggestion.mergeIntoArticleId ? await manager.findOne(KnowledgeArticle, { where: { id: suggestion.mergeIntoArticleId, tenantId } }) : null;
      const article = target
        ? await this.articles.update(caller, tenantId, target.id, { body: `${target.body.trimEnd()}\n\n${sectionOf(suggestion)}` }, manager)
        : await this.articles.create(caller, tenantId, { title: suggestion.title, body: suggestion.body, language: 'en', tags: ['suggested'], published: true }, manager);
      Object.assign(suggestion, {
        status: 'approved',
        publishedArticleId: article.id,
        mergeIntoArticleId: target?.id ?? null,
        reviewedBy: caller.kind === 'user' ? caller.id : null,
        reviewedAt: new Date(),
      });
      await manager.save(suggestion);
      if (suggestion.gapId) {
        await manager.query(
          `UPDATE knowledge_gaps SET status = 'closed', closed_at = now(), closed_by_article_id = $3, updated_at = now() WHERE tenant_id = $1 AND id = $2`,
          [tenantId, suggestion.gapId, article.id],
        );
      }
      await this.audit.record(caller, 'suggested_article.approve', { type: 'suggested_article', id }, { articleId: article.id, merged: !!target }, manager);
      return { suggestion, article };
    });
    await this.events.publish('article_published', tenantId, {
      suggestionId: id,
      articleId: article.id,
      gapId: suggestion.gapId ?? undefined,
      title: article.title,
      detail: { merged: !!suggestion.mergeIntoArticleId },
    });
    if (suggestion.gapId) await this.events.publish('gap_closed', tenantId, { gapId: suggestion.gapId, articleId: article.id, suggestionId: id, title: article.title });
    return suggestion;
  }

  async reject(caller: Principal, tenantId: string, id: string): Promise<SuggestedArticle> {
    const suggestion = await this.db.transaction(async (manager) => {
      const suggestion = await this.pending(manager, tenantId, id);
      Object.assign(suggestion, { status: 'rejected', reviewedBy: caller.kind === 'user' ? caller.id : null, reviewedAt: new Date() });
      await manager.save(suggestion);
      await this.audit.record(caller, 'suggested_article.reject', { type: 'suggested_article', id }, {}, manager);
      return suggestion;
    });
    await this.events.publish('suggestion_rejected', tenantId, { suggestionId: id, gapId: suggestion.gapId ?? undefined, title: suggestion.title });
    return suggestion;
  }

  private async pending(manager: EntityManager, tenantId: string, id: string): Promise<SuggestedArticle> {
    const suggestion = await manager.findOne(SuggestedArticle, { where: { id, tenantId }, lock: { mode: 'pessimistic_write' } });
    if (!suggestion) throw new NotFoundException('no such suggested article');
    if (suggestion.status !== 'pending') throw new ConflictException(`this suggestion was already ${suggestion.status}`);
    return suggestion;
  }
}

/** A draft merged into an article is a section of it, under its own heading (the chunker splits on headings). */
function sectionOf(suggestion: SuggestedArticle): string {
  const body = suggestion.body.trim();
  return /^#{1,6}\s/.test(body) ? body : `## ${suggestion.title}\n\n${body}`;
}
