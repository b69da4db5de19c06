import { EntityManager } from 'typeorm';
import { newId } from '@cs/contracts';
import { KnowledgeArticle, KnowledgeArticleVersion } from '@cs/persistence';

/** Keeps the article as it is now as an earlier version; called inside the transaction that is about to change it. */
export async function keepVersion(manager: EntityManager, article: KnowledgeArticle): Promise<void> {
  const { title, body, url, language, tags, published, version } = article;
  await manager.insert(KnowledgeArticleVersion, {
    id: newId(), tenantId: article.tenantId, articleId: article.id, version, title, body, url, language, tags, published, savedAt: article.updatedAt,
  });
}
