import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { cosineSimilarity } from './embedding-provider';
import { TINY_BERT_DIMENSIONS, writeTinyBertModel } from './tiny-bert.fixture';
import { TransformersEmbeddingProvider } from './transformers.embedding-provider';

let modelsDir: string;

beforeAll(() => {
  modelsDir = mkdtempSync(join(tmpdir(), 'models-'));
  writeTinyBertModel(modelsDir);
});
afterAll(() => rmSync(modelsDir, { recursive: true, force: true }));

describe('TransformersEmbeddingProvider', () => {
  it('embeds with a model from the local MODELS_DIR: mean-pooled, normalized, in order', async () => {
    const provider = new TransformersEmbeddingProvider({ modelsDir, model: 'tiny-bert', dimensions: TINY_BERT_DIMENSIONS, batchSize: 2 });
    const [refund, moneyBack, shipping] = await provider.embed(['Refund', 'money back', 'shipping box']);
    expect(refund).toHaveLength(TINY_BERT_DIMENSIONS);
    expect(Math.hypot(...refund)).toBeCloseTo(1, 5);
    expect(cosineSimilarity(refund, moneyBack)).toBeGreaterThan(0.9);
    expect(cosineSimilarity(refund, shipping)).toBeLessThan(0.5);
  }, 30_000);

  it('says a model folder is missing instead of downloading it', async () => {
    expect(TransformersEmbeddingProvider.isAvailable(modelsDir, 'tiny-bert')).toBe(true);
    expect(TransformersEmbeddingProvider.isAvailable(modelsDir, 'Xenova/all-MiniLM-L6-v2')).toBe(false);
    const missing = new TransformersEmbeddingProvider({ modelsDir, model: 'Xenova/all-MiniLM-L6-v2', dimensions: 384 });
    await expect(missing.embed(['hello'])).rejects.toThrow();
  }, 30_000);
});
