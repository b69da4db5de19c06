import type { EntityManager } from 'typeorm';
import { newId } from '@cs/contracts';
import { KnowledgeChunk, type KnowledgeArticle } from '@cs/persistence';
import { chunkMarkdown, type ChunkOptions } from './chunker';

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
  constructor(private readonly chunkOptions: ChunkOptions = {}) {}

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
    return { inserted: insert.length, unchanged: keep.length, deleted: stale.length };
  }

  async removeArticle(manager: EntityManager, tenantId: string, articleId: string): Promise<void> {
    await manager.getRepository(KnowledgeChunk).delete({ tenantId, articleId });
  }
}
