import { existsSync } from 'fs';
import { join } from 'path';
import { cosineSimilarity } from './embedding-provider';
import { UseLiteEmbeddingProvider } from './use-lite.embedding-provider';
import type { WorkerEmbeddingProvider as WorkerProvider } from './worker.embedding-provider';

/*
 * The thread runs the compiled worker, so this spec uses the build (`node scripts/build.js`, as
 * `npm test` does first); from TypeScript sources the factory falls back to the main thread.
 */
const built = join(__dirname, '../../../../dist/libs/ai/src/embeddings/worker.embedding-provider.js');

describe('WorkerEmbeddingProvider (built)', () => {
  let provider: WorkerProvider;

  beforeAll(() => {
    if (!existsSync(built)) throw new Error(`build first: ${built} is missing`);
    const { WorkerEmbeddingProvider } = require(built) as { WorkerEmbeddingProvider: typeof WorkerProvider };
    expect(WorkerEmbeddingProvider.isAvailable()).toBe(true);
    provider = new WorkerEmbeddingProvider({ id: 'use-lite', dimensions: 512 }, {});
  });
  afterAll(() => provider.close());

  it('gives the vectors USE-lite gives on the main thread, while the event loop keeps running', async () => {
    const texts = Array.from({ length: 24 }, (_, i) => `is order ${i} on its way to Berlin?`);
    await provider.embed(['warm up the model']);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 2);
    const vectors = await provider.embed(texts);
    clearInterval(timer);
    // On the main thread this batch runs without yielding: not one timer fires during it.
    expect(ticks).toBeGreaterThan(0);
    const [local] = await new UseLiteEmbeddingProvider().embed([texts[5]]);
    expect(vectors).toHaveLength(24);
    expect(cosineSimilarity(vectors[5], local)).toBeGreaterThan(0.999);
  }, 60_000);

  it('fails the call of a thread that died and starts a new one for the next', async () => {
    const pending = provider.embed(['this call is cut short']);
    await provider.close();
    await expect(pending).rejects.toThrow(/exited/);
    await expect(provider.embed(['and this one is answered'])).resolves.toHaveLength(1);
  }, 60_000);
});
