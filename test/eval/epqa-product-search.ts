import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { DataSource } from 'typeorm';
import { newId } from '@cs/contracts';
import { fnv1a, type EmbeddingProvider } from '@cs/ai';
import { HybridSearch } from '@cs/knowledge';
import { openDataSource } from '@cs/persistence';

/**
 * ePQA through the agent's own retrieval: the same HybridSearch, SQL and vector index the agent
 * answers with, on a real database (PGlite in a temporary folder, as `npm start` runs). Each question becomes a tenant whose knowledge base is that
 * product's 10 evidence snippets — one chunk each, as the snippets are the passages to rank — so
 * the full-text statistics are the product page's own, as they would be for a shop's knowledge base.
 */
export interface ProductSearchQuestion {
  question: string;
  title: string;
  candidates: { text: string }[];
}

export interface ProductSearchRanking {
  /** Candidate indexes, best first. */
  order: number[];
  /** The best passage's calibrated confidence (what the agent compares with its threshold). */
  top: number;
  /** One search, question vector given (it is embedded once per message in the agent). */
  searchMs: number;
}

export class ProductSearchRanker {
  private constructor(
    private readonly db: DataSource,
    private readonly search: HybridSearch,
    private readonly tenants: { tenantId: string; chunkToCandidate: Map<string, number> }[],
    private readonly cleanup: () => Promise<void>,
  ) {}

  /** Stores every question's snippets with their vectors (from `embeddings`, so cached ones are reused). */
  static async load(
    questions: ProductSearchQuestion[],
    embeddings: EmbeddingProvider,
    log: (m: string) => void,
  ): Promise<ProductSearchRanker> {
    const dataDir = mkdtempSync(join(tmpdir(), 'epqa-pglite-'));
    const db = await openDataSource({ dataDir });
    const tenants: { tenantId: string; chunkToCandidate: Map<string, number> }[] = [];
    for (let start = 0; start < questions.length; start += 100) {
      const batch = questions.slice(start, start + 100);
      const vectors = await embeddings.embed(batch.flatMap((q) => q.candidates.map((c) => c.text)));
      const tenantRows: unknown[][] = [];
      const articleRows: unknown[][] = [];
      const chunkRows: unknown[][] = [];
      let v = 0;
      for (const [i, q] of batch.entries()) {
        const tenantId = newId();
        const articleId = newId();
        tenantRows.push([tenantId, `ePQA ${start + i}`, `epqa-${start + i}`]);
        articleRows.push([articleId, tenantId, 'product', q.title || 'Product', '(evidence snippets)']);
        // The data set lists a question's best snippets first: stored in that order, the search's last
        // tie-breaker (chunk id, time-ordered) would leak the labels. Stored in an order of the text's hash.
        const chunkToCandidate = new Map<string, number>();
        const qVectors = vectors.slice(v, (v += q.candidates.length));
        const storeOrder = q.candidates.map((_, index) => index).sort((a, b) => fnv1a(q.candidates[a].text) - fnv1a(q.candidates[b].text));
        storeOrder.forEach((index, ordinal) => {
          const chunkId = newId();
          chunkToCandidate.set(chunkId, index);
          chunkRows.push([chunkId, tenantId, articleId, ordinal, q.candidates[index].text, `epqa-${ordinal}`, Array.from(qVectors[index]), embeddings.id]);
        });
        tenants.push({ tenantId, chunkToCandidate });
      }
      await db.transaction(async (m) => {
        await insertRows(m, 'tenants (id, name, slug)', tenantRows);
        await insertRows(m, 'knowledge_articles (id, tenant_id, slug, title, body)', articleRows);
        await insertRows(m, 'knowledge_chunks (id, tenant_id, article_id, ordinal, content, content_hash, embedding, embedding_model)', chunkRows, {
          6: '::real[]',
        });
      });
      log(`ePQA: stored ${Math.min(start + 100, questions.length)}/${questions.length} products' snippets (PGlite)`);
    }
    const cleanup = async () => {
      await db.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    };
    return new ProductSearchRanker(db, new HybridSearch(embeddings), tenants, cleanup);
  }

  /** Ranks question `i`'s snippets with the agent's hybrid search (every snippet returned, none cut by the threshold). */
  async rank(i: number, question: string, queryVector: Float32Array): Promise<ProductSearchRanking> {
    const { tenantId, chunkToCandidate } = this.tenants[i];
    const started = performance.now();
    const result = await this.search.search(this.db, tenantId, question, { limit: chunkToCandidate.size, threshold: 0, queryVector });
    const searchMs = performance.now() - started;
    const order = result.passages.map((p) => chunkToCandidate.get(p.chunkId)!);
    // The search returns its candidates (the full-text and vector top 10s): with 10 snippets, all of them.
    for (const index of chunkToCandidate.values()) if (!order.includes(index)) order.push(index);
    return { order, top: result.passages[0]?.score ?? 0, searchMs };
  }

  close(): Promise<void> {
    return this.cleanup();
  }
}

/** One multi-row INSERT; `casts` maps a column position to a cast for its placeholder. */
async function insertRows(
  db: { query(sql: string, params: unknown[]): Promise<unknown> },
  target: string,
  rows: unknown[][],
  casts: Record<number, string> = {},
): Promise<void> {
  if (!rows.length) return;
  const params: unknown[] = [];
  const values = rows.map((row) => `(${row.map((value, col) => `$${params.push(value)}${casts[col] ?? ''}`).join(', ')})`);
  await db.query(`INSERT INTO ${target} VALUES ${values.join(', ')}`, params);
}
