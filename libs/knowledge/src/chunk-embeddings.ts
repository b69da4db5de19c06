import type { DataSource, EntityManager } from 'typeorm';

/** The part of libs/ai's EmbeddingProvider the knowledge base needs (kept structural: no dependency on @cs/ai). */
export interface ChunkEmbedder {
  /** The vector space; stored beside each vector so vectors of different models never mix. */
  readonly id: string;
  embed(texts: string[]): Promise<Float32Array[]>;
}

/** What is embedded for a chunk: its heading path says what the passage is about when the text does not. */
export function chunkEmbeddingText(heading: string, content: string): string {
  return heading ? `${heading}\n${content}` : content;
}

/**
 * Embed `chunks` and store the vectors with the model id. One UPDATE per chunk: this runs only for
 * new or re-modelled chunks, never per question, so simplicity wins over a bulk statement.
 */
export async function embedChunks(
  db: EntityManager | DataSource,
  embedder: ChunkEmbedder,
  chunks: { id: string; heading: string; content: string }[],
): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  if (!chunks.length) return out;
  const vectors = await embedder.embed(chunks.map((c) => chunkEmbeddingText(c.heading, c.content)));
  for (let i = 0; i < chunks.length; i++) {
    out.set(chunks[i].id, vectors[i]);
    await db.query('UPDATE knowledge_chunks SET embedding = $2::real[], embedding_model = $3 WHERE id = $1', [
      chunks[i].id,
      Array.from(vectors[i]),
      embedder.id,
    ]);
  }
  return out;
}
