import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { newId } from '@cs/contracts';
import { KnowledgeIndexer } from '@cs/knowledge';
import { KnowledgeArticle, KnowledgeArticleVersion } from '@cs/persistence';
import { keepVersion } from './keep-version';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { decodeCursor, pageOf, type Page } from '../common/cursor';
import { slugOf, type ImportedArticle } from './import/article-parsers';
import { slugify, type CreateArticleBody, type ListArticlesQuery, type UpdateArticleBody } from './dto/article.dto';

/**
 * Knowledge articles. Every save keeps the article as it was (see ArticleVersionsService), bumps
 * the version and re-chunks the article in the same transaction, so the agent never retrieves
 * from a body that is no longer there.
 */
@Injectable()
export class ArticlesService {
  private readonly indexer = new KnowledgeIndexer();

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(tenantId: string, query: ListArticlesQuery): Promise<Page<Omit<KnowledgeArticle, 'body'>>> {
    const qb = this.db.manager
      .createQueryBuilder(KnowledgeArticle, 'a')
      .select(['a.id', 'a.slug', 'a.title', 'a.url', 'a.language', 'a.tags', 'a.version', 'a.published', 'a.createdAt', 'a.updatedAt'])
      .where('a.tenant_id = :tenantId', { tenantId })
      .orderBy('a.id', 'DESC')
      .limit(query.limit + 1);
    if (query.q) qb.andWhere('a.title ILIKE :q', { q: `%${query.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%` });
    if (query.tag) qb.andWhere(':tag = ANY(a.tags)', { tag: query.tag });
    if (query.published !== undefined) qb.andWhere('a.published = :published', { published: query.published });
    if (query.after) qb.andWhere('a.id < :after', { after: decodeCursor(query.after, ['id'] as const).id });
    return pageOf(await qb.getMany(), query.limit, (row) => row, (row) => ({ id: row.id }));
  }

  async get(tenantId: string, id: string): Promise<KnowledgeArticle> {
    const article = await this.db.manager.findOne(KnowledgeArticle, { where: { id, tenantId } });
    if (!article) throw new NotFoundException('no such article');
    return article;
  }

  /** `within`: the caller's transaction (an approved suggestion is published with its review in one). */
  async create(caller: Principal, tenantId: string, body: CreateArticleBody, within?: EntityManager): Promise<KnowledgeArticle> {
    return this.inTransaction(within, async (manager) => {
      const slug = body.slug ?? (await this.freeSlug(manager, tenantId, slugify(body.title)));
      await this.assertSlugFree(manager, tenantId, slug);
      const article = await manager.save(
        manager.create(KnowledgeArticle, { id: newId(), tenantId, ...body, slug, url: body.url ?? null, version: 1 }),
      );
      await this.indexer.indexArticle(manager, article);
      await this.audit.record(caller, 'article.create', { type: 'article', id: article.id }, { title: article.title }, manager);
      return article;
    });
  }

  async update(caller: Principal, tenantId: string, id: string, body: UpdateArticleBody, within?: EntityManager): Promise<KnowledgeArticle> {
    return this.inTransaction(within, async (manager) => {
      const article = await manager.findOne(KnowledgeArticle, { where: { id, tenantId }, lock: { mode: 'pessimistic_write' } });
      if (!article) throw new NotFoundException('no such article');
      if (body.slug && body.slug !== article.slug) await this.assertSlugFree(manager, tenantId, body.slug);
      await keepVersion(manager, article);
      Object.assign(article, body, { version: article.version + 1 });
      const saved = await manager.save(article);
      await this.indexer.indexArticle(manager, saved);
      await this.audit.record(caller, 'article.update', { type: 'article', id }, { version: saved.version, fields: Object.keys(body) }, manager);
      return saved;
    });
  }

  async remove(caller: Principal, tenantId: string, id: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      const article = await manager.findOne(KnowledgeArticle, { where: { id, tenantId } });
      if (!article) throw new NotFoundException('no such article');
      await this.indexer.removeArticle(manager, tenantId, id);
      await manager.delete(KnowledgeArticleVersion, { articleId: id, tenantId });
      await manager.delete(KnowledgeArticle, { id, tenantId });
      await this.audit.record(caller, 'article.delete', { type: 'article', id }, { title: article.title }, manager);
    });
  }

  /** An imported article: created, or updated (version bumped) when its content differs. */
  async upsert(tenantId: string, input: ImportedArticle): Promise<'created' | 'updated' | 'unchanged'> {
    return this.db.transaction(async (manager) => {
      const slug = slugOf(input);
      const existing = await manager.findOne(KnowledgeArticle, { where: { tenantId, slug }, lock: { mode: 'pessimistic_write' } });
      const fields = {
        title: input.title,
        body: input.body,
        ...(input.url !== undefined ? { url: input.url } : {}),
        ...(input.tags ? { tags: input.tags } : {}),
        ...(input.language ? { language: input.language } : {}),
      };
      if (!existing) {
        const article = await manager.save(manager.create(KnowledgeArticle, { id: newId(), tenantId, slug, url: null, tags: [], language: 'en', ...fields, version: 1, published: true }));
        await this.indexer.indexArticle(manager, article);
        return 'created';
      }
      const changed = Object.entries(fields).some(([key, value]) => JSON.stringify(existing[key as keyof KnowledgeArticle]) !== JSON.stringify(value));
      if (!changed) return 'unchanged';
      await keepVersion(manager, existing);
      const saved = await manager.save(Object.assign(existing, fields, { version: existing.version + 1 }));
      await this.indexer.indexArticle(manager, saved);
      return 'updated';
    });
  }

  /** Re-chunks every article of the tenant (after a chunker change); unchanged chunks keep their rows. */
  async reindex(caller: Principal, tenantId: string): Promise<{ articles: number; inserted: number; deleted: number }> {
    const ids = (await this.db.manager.find(KnowledgeArticle, { where: { tenantId }, select: { id: true } })).map((a) => a.id);
    const totals = { articles: ids.length, inserted: 0, deleted: 0 };
    for (const id of ids) {
      await this.db.transaction(async (manager) => {
        const article = await manager.findOne(KnowledgeArticle, { where: { id, tenantId } });
        if (!article) return;
        const result = await this.indexer.indexArticle(manager, article);
        totals.inserted += result.inserted;
        totals.deleted += result.deleted;
      });
    }
    await this.audit.record(caller, 'knowledge.reindex', { type: 'tenant', id: tenantId }, totals);
    return totals;
  }

  private inTransaction<T>(within: EntityManager | undefined, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return within ? work(within) : this.db.transaction(work);
  }

  private async assertSlugFree(manager: EntityManager, tenantId: string, slug: string): Promise<void> {
    if (await manager.exists(KnowledgeArticle, { where: { tenantId, slug } })) {
      throw new ConflictException(`an article with the slug "${slug}" already exists`);
    }
  }

  /** `returns`, then `returns-2`, `returns-3`... for titles that repeat. */
  private async freeSlug(manager: EntityManager, tenantId: string, base: string): Promise<string> {
    for (let n = 1; ; n++) {
      const slug = n === 1 ? base : `${base}-${n}`;
      if (!(await manager.exists(KnowledgeArticle, { where: { tenantId, slug } }))) return slug;
    }
  }
}
