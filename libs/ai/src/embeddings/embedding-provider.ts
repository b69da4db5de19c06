/**
 * One interface for every sentence-embedding backend (USE-lite offline by default, transformers.js
 * from a local MODELS_DIR, OpenAI when a key is set). Vectors from different providers live in
 * different spaces: `id` names the space, so caches and stored chunk vectors never mix them.
 */
export interface EmbeddingProvider {
  /** Stable identifier of the vector space, e.g. `use-lite` or `openai:text-embedding-3-small`. */
  readonly id: string;
  readonly dimensions: number;
  /** One vector per text, in order. */
  embed(texts: string[]): Promise<Float32Array[]>;
}

/** Cosine similarity of two vectors of the same length. */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Split `items` into consecutive slices of at most `size`. */
export function chunked<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
