import { createHash } from 'crypto';
import type { EmbeddingProvider } from './embedding-provider';

/** Where cached vectors persist between processes (a DB table, a file...). Keys are opaque strings. */
export interface EmbeddingStore {
  getMany(keys: string[]): Promise<(Float32Array | undefined)[]>;
  setMany(entries: { key: string; vector: Float32Array }[]): Promise<void>;
}

export function embeddingCacheKey(providerId: string, text: string): string {
  return `${providerId}:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

/**
 * Wraps a provider so unchanged text is never embedded twice: an in-memory LRU in front of an
 * optional persistent store, keyed by (provider id, sha256 of the text). Duplicates inside one call
 * are embedded once.
 */
export class CachedEmbeddingProvider implements EmbeddingProvider {
  readonly id: string;
  readonly dimensions: number;
  private readonly memory = new Map<string, Float32Array>();
  /** Texts actually sent to the inner provider, for tests and metrics. */
  misses = 0;

  constructor(
    private readonly inner: EmbeddingProvider,
    private readonly store?: EmbeddingStore,
    private readonly maxInMemory = 10_000, // ~20 MB of 512-d vectors
  ) {
    this.id = inner.id;
    this.dimensions = inner.dimensions;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const keys = texts.map((t) => embeddingCacheKey(this.id, t));
    const result = new Array<Float32Array | undefined>(texts.length);
    const unresolved: number[] = [];
    keys.forEach((key, i) => {
      const hit = this.memory.get(key);
      if (hit) {
        this.touch(key, hit);
        result[i] = hit;
      } else unresolved.push(i);
    });

    if (unresolved.length && this.store) {
      const stored = await this.store.getMany(unresolved.map((i) => keys[i]));
      const still: number[] = [];
      unresolved.forEach((i, j) => {
        const v = stored[j];
        if (v && v.length === this.dimensions) {
          result[i] = v;
          this.touch(keys[i], v);
        } else still.push(i);
      });
      unresolved.splice(0, unresolved.length, ...still);
    }

    if (unresolved.length) {
      const firstIndexOfKey = new Map<string, number>();
      for (const i of unresolved) if (!firstIndexOfKey.has(keys[i])) firstIndexOfKey.set(keys[i], i);
      const toEmbed = [...firstIndexOfKey.values()];
      this.misses += toEmbed.length;
      const vectors = await this.inner.embed(toEmbed.map((i) => texts[i]));
      const fresh = toEmbed.map((i, j) => ({ key: keys[i], vector: vectors[j] }));
      const freshByKey = new Map(fresh.map((f) => [f.key, f.vector]));
      for (const { key, vector } of fresh) this.touch(key, vector);
      for (const i of unresolved) result[i] = freshByKey.get(keys[i]);
      if (this.store) await this.store.setMany(fresh);
    }
    return result as Float32Array[];
  }

  private touch(key: string, vector: Float32Array): void {
    // Map keeps insertion order: delete + set moves the key to the young end of the LRU.
    this.memory.delete(key);
    this.memory.set(key, vector);
    if (this.memory.size > this.maxInMemory) {
      const oldest = this.memory.keys().next().value;
      if (oldest !== undefined) this.memory.delete(oldest);
    }
  }
}
