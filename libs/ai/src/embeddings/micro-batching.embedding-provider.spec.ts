import { CachedEmbeddingProvider } from './embedding-cache';
import { cosineSimilarity, type EmbeddingProvider } from './embedding-provider';
import { MicroBatchingEmbeddingProvider } from './micro-batching.embedding-provider';
import { UseLiteEmbeddingProvider } from './use-lite.embedding-provider';

/** A model that records each call and embeds a text as [its length, its first char code]. */
class RecordingModel implements EmbeddingProvider {
  readonly id = 'recording';
  readonly dimensions = 2;
  readonly calls: string[][] = [];
  failOn?: string;

  async embed(texts: string[]): Promise<Float32Array[]> {
    this.calls.push(texts);
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (this.failOn && texts.includes(this.failOn)) throw new Error(`cannot embed ${this.failOn}`);
    return texts.map((t) => Float32Array.from([t.length, t.charCodeAt(0)]));
  }
}

describe('MicroBatchingEmbeddingProvider', () => {
  it('sends the texts of concurrent callers to the model together, each caller getting its own vectors in order', async () => {
    const model = new RecordingModel();
    const batched = new MicroBatchingEmbeddingProvider(model, { windowMs: 2, maxBatch: 8 });
    const asks = ['a', 'bb', 'ccc', 'dddd', 'eeeee', 'ffffff', 'g', 'hh', 'iii', 'jjjj'];
    const answers = await Promise.all([...asks.map((t) => batched.embed([t])), batched.embed(['xy', 'z'])]);
    asks.forEach((t, i) => expect(Array.from(answers[i][0])).toEqual([t.length, t.charCodeAt(0)]));
    expect(answers[asks.length].map((v) => Array.from(v))).toEqual([[2, 120], [1, 122]]);
    // 12 texts, at most 8 a call: two calls instead of eleven, none over the bound.
    expect(model.calls.length).toBe(2);
    expect(Math.max(...model.calls.map((c) => c.length))).toBeLessThanOrEqual(8);
    expect(batched.stats).toEqual({ calls: 2, texts: 12 });
  });

  it('batches what arrives while the model is busy into the next call, with no caller waiting for a later one', async () => {
    const model = new RecordingModel();
    const batched = new MicroBatchingEmbeddingProvider(model, { windowMs: 1, maxBatch: 32 });
    const first = batched.embed(['first']);
    await new Promise((resolve) => setTimeout(resolve, 2)); // the first call is running now
    const later = Promise.all(['x1', 'x2', 'x3'].map((t) => batched.embed([t])));
    await Promise.all([first, later]);
    expect(model.calls).toEqual([['first'], ['x1', 'x2', 'x3']]);
  });

  it('fails only the callers whose texts were in the failed call', async () => {
    const model = new RecordingModel();
    model.failOn = 'bad';
    const batched = new MicroBatchingEmbeddingProvider(model, { windowMs: 1, maxBatch: 2 });
    const results = await Promise.allSettled([batched.embed(['ok1']), batched.embed(['bad']), batched.embed(['ok2']), batched.embed(['ok3'])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled', 'fulfilled']);
    expect(model.calls).toEqual([['ok1', 'bad'], ['ok2', 'ok3']]);
  });

  it('passes a call already as large as a batch straight to the model', async () => {
    const model = new RecordingModel();
    const batched = new MicroBatchingEmbeddingProvider(model, { maxBatch: 3 });
    const vectors = await batched.embed(['a', 'b', 'c', 'd']);
    expect(vectors).toHaveLength(4);
    expect(model.calls).toEqual([['a', 'b', 'c', 'd']]);
  });

  it('gives USE-lite vectors batched that match those embedded one at a time', async () => {
    const useLite = new UseLiteEmbeddingProvider();
    const texts = ['where is my parcel', 'can I return shoes I wore once?', 'do you ship to Norway'];
    const alone: Float32Array[] = [];
    for (const t of texts) alone.push((await useLite.embed([t]))[0]);
    const batched = new MicroBatchingEmbeddingProvider(useLite);
    const together = await Promise.all(texts.map((t) => batched.embed([t])));
    expect(batched.stats.calls).toBe(1);
    together.forEach(([v], i) => expect(cosineSimilarity(v, alone[i])).toBeGreaterThan(0.999));
  }, 60_000);
});

describe('CachedEmbeddingProvider over the batcher', () => {
  it('embeds a question once whatever its white space, and once when two messages ask it at the same moment', async () => {
    const model = new RecordingModel();
    const cached = new CachedEmbeddingProvider(new MicroBatchingEmbeddingProvider(model));
    const [a, b, c] = await Promise.all([cached.embed(['where is my order?']), cached.embed(['where is my order?']), cached.embed([' where  is my\norder? '])]);
    expect(cached.misses).toBe(1);
    expect(model.calls).toEqual([['where is my order?']]);
    expect(Array.from(b[0])).toEqual(Array.from(a[0]));
    expect(Array.from(c[0])).toEqual(Array.from(a[0]));
    // Case is kept apart: the models see it.
    await cached.embed(['WHERE IS MY ORDER?']);
    expect(cached.misses).toBe(2);
  });

  it('lets a concurrent caller of a failing text see the failure, and the next call try again', async () => {
    const model = new RecordingModel();
    model.failOn = 'bad';
    const cached = new CachedEmbeddingProvider(model);
    const results = await Promise.allSettled([cached.embed(['bad']), cached.embed(['bad', 'fine'])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    model.failOn = undefined;
    await expect(cached.embed(['bad'])).resolves.toHaveLength(1);
  });
});
