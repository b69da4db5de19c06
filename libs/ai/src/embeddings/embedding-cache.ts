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
 * What makes two texts the same question for the in-memory cache: Unicode form and runs of white
 * space ("where is my order? " and "where is  my order?" embed alike). Case stays: the models see it.
 */
export function normalizeForEmbedding(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/**
 * Wraps a provider so unchanged text is never embedded twice: an in-memory LRU in front of an
 * optional persistent store, keyed by (provider id, sha256 of the text; in memory, of the normalized
 * text). Duplicates inside one call are embedded once, and so is a text that concurrent calls ask
 * for while it is being embedded (the same question in two messages at once).
 */
export class CachedEmbeddingProvider implements EmbeddingProvider {
  readonly id: string;
  readonly dimensions: number;
  private readonly memory = new Map<string, Float32Array>();
  /** Texts being embedded now, by memory key: a concurrent call waits for them instead of embedding them again. */
  private readonly pending = new Map<string, Promise<Float32Array>>();
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
    const keys = texts.map((t) => embeddingCacheKey(this.id, normalizeForEmbedding(t)));
    const result = new Array<Float32Array | undefined>(texts.length);
    const waits: Promise<void>[] = [];
    const unresolved: number[] = [];
    keys.forEach((key, i) => {
      const hit = this.memory.get(key);
      const running = hit ? undefined : this.pending.get(key);
      if (hit) {
        this.touch(key, hit);
        result[i] = hit;
      } else if (running) waits.push(running.then((v) => void (result[i] = v)));
      else unresolved.push(i);
    });

    const waited = Promise.all(waits);
    waited.catch(() => undefined); // awaited below, unless this call's own texts fail first
    if (unresolved.length) {
      // Claimed before the first await, so a concurrent call for the same text waits for this one.
      const firstIndexOfKey = new Map<string, number>();
      for (const i of unresolved) if (!firstIndexOfKey.has(keys[i])) firstIndexOfKey.set(keys[i], i);
      const claimed = [...firstIndexOfKey.values()];
      const work = this.resolve(texts, keys, claimed);
      claimed.forEach((i, j) => {
        const one = work.then((vectors) => vectors[j]);
        one.catch(() => undefined); // this caller rethrows it below; a waiter gets it from its own then
        this.pending.set(keys[i], one);
      });
      try {
        const vectors = await work;
        const byKey = new Map(claimed.map((i, j) => [keys[i], vectors[j]]));
        for (const i of unresolved) result[i] = byKey.get(keys[i]);
      } finally {
        for (const i of claimed) this.pending.delete(keys[i]);
      }
    }
    await waited;
    return result as Float32Array[];
  }

  /** Vectors for `texts[i]` of each claimed index, in order: the store, else the inner provider. */
  private async resolve(texts: string[], keys: string[], claimed: number[]): Promise<Float32Array[]> {
    const out = new Array<Float32Array>(claimed.length);
    let missing = claimed.map((i, j) => j);
    if (this.store) {
      // The store is keyed by the exact text (vectors persisted before normalization keep their keys).
      const stored = await this.store.getMany(claimed.map((i) => embeddingCacheKey(this.id, texts[i])));
      missing = missing.filter((j) => {
        const v = stored[j];
        if (!v || v.length !== this.dimensions) return true;
        out[j] = v;
        this.touch(keys[claimed[j]], v);
        return false;
      });
    }
    if (missing.length) {
      this.misses += missing.length;
      const vectors = await this.inner.embed(missing.map((j) => texts[claimed[j]]));
      missing.forEach((j, n) => {
        out[j] = vectors[n];
        this.touch(keys[claimed[j]], vectors[n]);
      });
      if (this.store) await this.store.setMany(missing.map((j, n) => ({ key: embeddingCacheKey(this.id, texts[claimed[j]]), vector: vectors[n] })));
    }
    return out;
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
