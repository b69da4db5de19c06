import type { EntityManager } from 'typeorm';
import { newId } from '@cs/contracts';
import { KnowledgeChunk, type KnowledgeArticle } from '@cs/persistence';
import { chunkMarkdown, type ChunkOptions } from './chunker';
import { embedChunks, type ChunkEmbedder } from './chunk-embeddings';

export interface IndexResult {
  inserted: number;
  unchanged: number;
  deleted: number;
}

type IndexableArticle = Pick<KnowledgeArticle, 'id' | 'tenantId' | 'body' | 'language'>;

/**
 * Keeps an article's chunks in step with its body. Chunks are matched by content hash, not by
 * position: a chunk whose text did not change keeps its row — and so its embedding, which is the
 * expensive part to recompute — even when a new paragraph above it shifts its ordinal.
 */
export class KnowledgeIndexer {
  /**
   * With an `embedder`, new chunks (and kept ones embedded by another model) are embedded while
   * indexing. Without one (the gateway, which runs no AI code) they are stored bare and the agent
   * embeds them the first time it loads the tenant's vectors (chunk-vector-index.ts).
   */
  constructor(
    private readonly chunkOptions: ChunkOptions = {},
    private readonly embedder?: ChunkEmbedder,
  ) {}

  async indexArticle(manager: EntityManager, article: IndexableArticle): Promise<IndexResult> {
    const wanted = chunkMarkdown(article.body, this.chunkOptions);
    const repo = manager.getRepository(KnowledgeChunk);
    const existing = await repo.find({ where: { tenantId: article.tenantId, articleId: article.id } });

    const byHash = new Map<string, KnowledgeChunk[]>();
    for (const row of existing) byHash.set(row.contentHash, [...(byHash.get(row.contentHash) ?? []), row]);

    const keep: { row: KnowledgeChunk; ordinal: number }[] = [];
    const insert: typeof wanted = [];
    for (const chunk of wanted) {
      const row = byHash.get(chunk.contentHash)?.shift();
      if (row) keep.push({ row, ordinal: chunk.ordinal });
      else insert.push(chunk);
    }
    const kept = new Set(keep.map((k) => k.row.id));
    const stale = existing.filter((row) => !kept.has(row.id));
    if (stale.length) await repo.delete(stale.map((row) => row.id));

    // Ordinals are unique per article: park moved rows on negative ordinals before settling them.
    const moved = keep.filter((k) => k.row.ordinal !== k.ordinal);
    for (const k of moved) await repo.update({ id: k.row.id }, { ordinal: -1 - k.ordinal });
    for (const k of moved) await repo.update({ id: k.row.id }, { ordinal: k.ordinal });

    if (insert.length) {
      await repo.insert(
        insert.map((chunk) => ({
          id: newId(),
          tenantId: article.tenantId,
          articleId: article.id,
          ordinal: chunk.ordinal,
          heading: chunk.heading,
          content: chunk.content,
          language: article.language,
          contentHash: chunk.contentHash,
        })),
      );
    }
    if (this.embedder) {
      const bare = await manager.query(
        `SELECT c.id, c.heading, c.content FROM knowledge_chunks c WHERE c.tenant_id = $1 AND c.article_id = $2
           AND c.embedding_model IS DISTINCT FROM $3`,
        [article.tenantId, article.id, this.embedder.id],
      );
      await embedChunks(manager, this.embedder, bare);
    }
    return { inserted: insert.length, unchanged: keep.length, deleted: stale.length };
  }

  async removeArticle(manager: EntityManager, tenantId: string, articleId: string): Promise<void> {
    await manager.getRepository(KnowledgeChunk).delete({ tenantId, articleId });
  }
}
