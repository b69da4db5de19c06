import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CachedEmbeddingProvider } from './embedding-cache';
import { cosineSimilarity } from './embedding-provider';
import { FileEmbeddingStore } from './file-embedding.store';
import { UseLiteEmbeddingProvider } from './use-lite.embedding-provider';

// One USE-lite instance for the file (the model loads once per process anyway).
const useLite = new UseLiteEmbeddingProvider();
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'emb-cache-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('UseLiteEmbeddingProvider', () => {
  it('puts a paraphrase closer than an unrelated sentence, offline', async () => {
    const [question, paraphrase, unrelated] = await useLite.embed([
      'where is my parcel',
      'my package has not arrived yet',
      'I love baking chocolate cake',
    ]);
    expect(question).toHaveLength(512);
    expect(cosineSimilarity(question, paraphrase)).toBeGreaterThan(cosineSimilarity(question, unrelated) + 0.1);
  }, 30_000);
});

describe('CachedEmbeddingProvider', () => {
  it('never embeds the same text twice, within a call, across calls, or across processes via the store', async () => {
    const file = join(dir, 'vectors.bin');
    const cached = new CachedEmbeddingProvider(useLite, new FileEmbeddingStore(file));
    const first = await cached.embed(['refund policy', 'shipping to Canada', 'refund policy']);
    expect(cached.misses).toBe(2);
    await cached.embed(['shipping to Canada', 'opening hours']);
    expect(cached.misses).toBe(3);

    // A new process: empty memory, same file.
    const reopened = new CachedEmbeddingProvider(useLite, new FileEmbeddingStore(file));
    const again = await reopened.embed(['refund policy']);
    expect(reopened.misses).toBe(0);
    expect(Array.from(again[0])).toEqual(Array.from(first[0]));
  }, 30_000);

  it('keeps vectors of different providers apart in a shared store', async () => {
    const store = new FileEmbeddingStore(join(dir, 'shared.bin'));
    await new CachedEmbeddingProvider(useLite, store).embed(['hello']);
    const other = { id: 'other-model', dimensions: 512, embed: (texts: string[]) => useLite.embed(texts) };
    const b = new CachedEmbeddingProvider(other, store);
    await b.embed(['hello']);
    expect(b.misses).toBe(1);
    const c = new CachedEmbeddingProvider(useLite, store);
    await c.embed(['hello']);
    expect(c.misses).toBe(0);
  }, 30_000);
});
