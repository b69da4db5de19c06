import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { diffLines } from 'diff';
import { DataSource } from 'typeorm';
import { KnowledgeArticle, KnowledgeArticleVersion } from '@cs/persistence';
import type { Principal } from '../auth/principal';
import { ArticlesService } from './articles.service';

export interface VersionSummary {
  version: number;
  title: string;
  current: boolean;
  savedAt: Date;
}

/** One line run of a diff from the earlier version to the current one. */
export interface DiffPart {
  value: string;
  added: boolean;
  removed: boolean;
}

/** An article's history (issue 17): list its versions, diff one against the current body, restore one as a new version. */
@Injectable()
export class ArticleVersionsService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly articles: ArticlesService,
  ) {}

  /** Newest first; the first is the article as it is now. */
  async list(tenantId: string, articleId: string): Promise<VersionSummary[]> {
    const article = await this.articles.get(tenantId, articleId);
    const earlier = await this.db.manager.find(KnowledgeArticleVersion, {
      where: { tenantId, articleId },
      select: { version: true, title: true, savedAt: true },
      order: { version: 'DESC' },
    });
    return [
      { version: article.version, title: article.title, current: true, savedAt: article.updatedAt },
      ...earlier.map((v) => ({ version: v.version, title: v.title, current: false, savedAt: v.savedAt })),
    ];
  }

  /** One version with its body, and the line diff that turns it into the current body. */
  async get(tenantId: string, articleId: string, version: number) {
    const article = await this.articles.get(tenantId, articleId);
    const earlier = await this.find(tenantId, article, version);
    const changes: DiffPart[] = diffLines(earlier.body, article.body).map((part) => ({ value: part.value, added: part.added, removed: part.removed }));
    return { ...earlier, current: earlier.version === article.version, currentVersion: article.version, changes };
  }

  /** Saves the earlier version's content as a new version (re-chunked by the article service); history is never rewritten. */
  async restore(caller: Principal, tenantId: string, articleId: string, version: number): Promise<KnowledgeArticle> {
    const article = await this.articles.get(tenantId, articleId);
    const { title, body, url, language, tags, published } = await this.find(tenantId, article, version);
    return this.articles.update(caller, tenantId, articleId, { title, body, url, language, tags, published });
  }

  private async find(tenantId: string, article: KnowledgeArticle, version: number) {
    const fields = (a: KnowledgeArticle | KnowledgeArticleVersion, savedAt: Date) => ({
      version: a.version, title: a.title, body: a.body, url: a.url, language: a.language, tags: a.tags, published: a.published, savedAt,
    });
    if (version === article.version) return fields(article, article.updatedAt);
    const earlier = await this.db.manager.findOne(KnowledgeArticleVersion, { where: { tenantId, articleId: article.id, version } });
    if (!earlier) throw new NotFoundException(`article ${article.id} has no version ${version}`);
    return fields(earlier, earlier.savedAt);
  }
}
