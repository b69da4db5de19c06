import type { DataSource, EntityManager } from 'typeorm';
import { embedChunks, type ChunkEmbedder } from './chunk-embeddings';

export interface IndexedChunk {
  chunkId: string;
  articleId: string;
  title: string;
  slug: string;
  url: string | null;
  heading: string;
  content: string;
  language: string;
  /** Unit length, so a dot product is the cosine. */
  vector: Float32Array;
}

interface TenantVectors {
  fingerprint: string;
  chunks: IndexedChunk[];
  languages: Set<string>;
}

interface ChunkRow {
  id: string;
  article_id: string;
  heading: string;
  content: string;
  language: string;
  embedding: number[] | null;
  embedding_model: string | null;
  title: string;
  slug: string;
  url: string | null;
}

/*
 * Vector search without pgvector: each process keeps the vectors of a tenant's published chunks in
 * memory (a 500-chunk knowledge base at 512 dimensions is 1 MB) and scans them with dot products —
 * about 0.1 ms for the demo's 94 chunks, against a database round trip per question for cosine in SQL
 * over real[]. The index is reloaded when the fingerprint the full-text query returns anyway changes
 * (a chunk added or removed, an article saved or unpublished), so it costs no extra round trip.
 * Chunks stored without a vector of this model (written by the gateway, or by another model) are
 * embedded once here and written back, so no process embeds them again.
 */
export class ChunkVectorIndex {
  private readonly tenants = new Map<string, TenantVectors>();
  private readonly loading = new Map<string, Promise<TenantVectors>>();

  constructor(private readonly embedder: ChunkEmbedder) {}

  get modelId(): string {
    return this.embedder.id;
  }

  /** The tenant's vectors, reloaded when `fingerprint` differs from the one they were loaded at. */
  async get(db: EntityManager | DataSource, tenantId: string, fingerprint: string): Promise<TenantVectors> {
    const cached = this.tenants.get(tenantId);
    if (cached && cached.fingerprint === fingerprint) return cached;
    const key = `${tenantId}|${fingerprint}`;
    let pending = this.loading.get(key);
    if (!pending) {
      pending = this.load(db, tenantId, fingerprint).finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return pending;
  }

  /** Chunks by cosine similarity with `query` (a vector of this index's model), best first. */
  rank(vectors: TenantVectors, query: Float32Array, language?: string): { chunk: IndexedChunk; cosine: number }[] {
    const q = normalize(query);
    const out: { chunk: IndexedChunk; cosine: number }[] = [];
    for (const chunk of vectors.chunks) {
      if (language && chunk.language !== language) continue;
      let dot = 0;
      const v = chunk.vector;
      for (let i = 0; i < v.length; i++) dot += v[i] * q[i];
      out.push({ chunk, cosine: dot });
    }
    return out.sort((a, b) => b.cosine - a.cosine);
  }

  private async load(db: EntityManager | DataSource, tenantId: string, fingerprint: string): Promise<TenantVectors> {
    const rows: ChunkRow[] = await db.query(
      `SELECT c.id, c.article_id, c.heading, c.content, c.language, c.embedding, c.embedding_model, a.title, a.slug, a.url
       FROM knowledge_chunks c JOIN knowledge_articles a ON a.id = c.article_id AND a.published
       WHERE c.tenant_id = $1 ORDER BY c.id`,
      [tenantId],
    );
    const missing = rows.filter((r) => r.embedding_model !== this.embedder.id || !r.embedding?.length);
    const fresh = await embedChunks(db, this.embedder, missing);
    const chunks = rows.map((r) => ({
      chunkId: r.id,
      articleId: r.article_id,
      title: r.title,
      slug: r.slug,
      url: r.url,
      heading: r.heading,
      content: r.content,
      language: r.language,
      vector: normalize(fresh.get(r.id) ?? Float32Array.from(r.embedding ?? [])),
    }));
    const loaded = { fingerprint, chunks, languages: new Set(chunks.map((c) => c.language)) };
    this.tenants.set(tenantId, loaded);
    return loaded;
  }
}

function normalize(v: Float32Array): Float32Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i] * v[i];
  if (n === 0) return v;
  const s = 1 / Math.sqrt(n);
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] * s;
  return out;
}
