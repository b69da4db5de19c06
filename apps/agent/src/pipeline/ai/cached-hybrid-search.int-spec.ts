import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { seedDemo, type ChunkEmbedder } from '@cs/knowledge';
import { openDataSource } from '@cs/persistence';
import { createTestDatabase } from '@cs/testing';
import { CachedHybridSearch } from './cached-hybrid-search';

/** A tiny embedding model for the test (hashed bag of words): deterministic, and it counts its calls. */
class BagOfWordsEmbedder implements ChunkEmbedder {
  readonly id = 'test-bag-of-words';
  calls = 0;
  async embed(texts: string[]): Promise<Float32Array[]> {
    this.calls++;
    return texts.map((text) => {
      const v = new Float32Array(64);
      for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) v[[...word].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 64, 7)] += 1;
      return v;
    });
  }
}

describe('the agent remembering search results until the knowledge base changes', () => {
  let ds: DataSource;
  let tenantId: string;
  const embedder = new BagOfWordsEmbedder();
  const search = new CachedHybridSearch(embedder);
  const question = 'how long does delivery take?';

  beforeAll(async () => {
    ds = await openDataSource({ databaseUrl: await createTestDatabase('searchcache'), poolSize: 2 });
    await seedDemo(ds, { embedder });
    [{ id: tenantId }] = await ds.query(`SELECT id FROM tenants LIMIT 1`);
  }, 120_000);
  afterAll(() => ds?.destroy());

  it('answers a repeated question from memory, with the same passages, without embedding it again', async () => {
    const first = await search.search(ds, tenantId, question, { limit: 3 });
    expect(first.passages[0]?.title).toMatch(/deliver|shipping/i);
    const calls = embedder.calls;
    const again = await search.search(ds, tenantId, question, { limit: 3 });
    expect(again.passages).toEqual(first.passages);
    expect(embedder.calls).toBe(calls);
  });

  it('searches afresh once an article is edited, and finds the new wording', async () => {
    await search.search(ds, tenantId, question, { limit: 3 });
    const [article] = await ds.query(`SELECT id FROM knowledge_articles WHERE tenant_id = $1 AND title ~* 'deliver' LIMIT 1`, [tenantId]);
    await ds.query(`UPDATE knowledge_articles SET title = $2, updated_at = now() WHERE id = $1`, [article.id, 'Delivery times (updated)']);
    const after = await search.search(ds, tenantId, question, { limit: 3 });
    expect([...after.passages, ...after.rejected].map((p) => p.title)).toContain('Delivery times (updated)');
  });

  it('searches afresh when the tenant changes its confidence threshold', async () => {
    const before = await search.search(ds, tenantId, question, { limit: 3 });
    await ds.query(`UPDATE tenants SET settings = settings || '{"confidenceThreshold": 0.99}'::jsonb WHERE id = $1`, [tenantId]);
    const after = await search.search(ds, tenantId, question, { limit: 3 });
    expect(before.threshold).not.toBe(0.99);
    expect(after.threshold).toBe(0.99);
  });
});
