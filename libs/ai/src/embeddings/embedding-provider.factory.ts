import { CachedEmbeddingProvider, type EmbeddingStore } from './embedding-cache';
import type { EmbeddingProvider } from './embedding-provider';
import { MicroBatchingEmbeddingProvider } from './micro-batching.embedding-provider';
import { OpenAiEmbeddingProvider } from './openai.embedding-provider';
import { TransformersEmbeddingProvider } from './transformers.embedding-provider';
import { UseLiteEmbeddingProvider } from './use-lite.embedding-provider';

export interface EmbeddingConfig {
  /** `use-lite` (default), `transformers`, or `openai`. Unset: openai when a key is set, else use-lite. */
  EMBEDDINGS_PROVIDER?: string;
  /** Key for the embeddings endpoint; EMBEDDINGS_API_KEY wins over OPENAI_API_KEY. */
  EMBEDDINGS_API_KEY?: string;
  OPENAI_API_KEY?: string;
  EMBEDDINGS_BASE_URL?: string;
  EMBEDDINGS_MODEL?: string;
  EMBEDDINGS_DIMENSIONS?: number | string;
  MODELS_DIR?: string;
}

/**
 * Pick the provider from config, batch concurrent callers' texts together (a local model runs one
 * batch at a time; an endpoint takes a few requests at once) and wrap it in the cache. Offline unless told otherwise: a key alone
 * switches to OpenAI, a model folder alone does not (its dimensions must be named).
 */
export function createEmbeddingProvider(config: EmbeddingConfig, store?: EmbeddingStore): CachedEmbeddingProvider {
  const apiKey = config.EMBEDDINGS_API_KEY ?? config.OPENAI_API_KEY;
  const kind = config.EMBEDDINGS_PROVIDER ?? (apiKey ? 'openai' : 'use-lite');
  const dimensions = config.EMBEDDINGS_DIMENSIONS ? Number(config.EMBEDDINGS_DIMENSIONS) : undefined;
  let provider: EmbeddingProvider;
  if (kind === 'openai') {
    if (!apiKey) throw new Error('EMBEDDINGS_PROVIDER=openai needs EMBEDDINGS_API_KEY or OPENAI_API_KEY');
    provider = new OpenAiEmbeddingProvider({
      apiKey,
      baseURL: config.EMBEDDINGS_BASE_URL,
      model: config.EMBEDDINGS_MODEL,
      dimensions,
    });
  } else if (kind === 'transformers') {
    if (!config.MODELS_DIR || !config.EMBEDDINGS_MODEL || !dimensions) {
      throw new Error('EMBEDDINGS_PROVIDER=transformers needs MODELS_DIR, EMBEDDINGS_MODEL and EMBEDDINGS_DIMENSIONS');
    }
    provider = new TransformersEmbeddingProvider({ modelsDir: config.MODELS_DIR, model: config.EMBEDDINGS_MODEL, dimensions });
  } else if (kind === 'use-lite') {
    provider = new UseLiteEmbeddingProvider();
  } else {
    throw new Error(`Unknown EMBEDDINGS_PROVIDER "${kind}" (use-lite, transformers, openai)`);
  }
  const batched = new MicroBatchingEmbeddingProvider(provider, { maxInFlight: kind === 'openai' ? 4 : 1 });
  return new CachedEmbeddingProvider(batched, store);
}
