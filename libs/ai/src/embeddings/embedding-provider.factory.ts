import { CachedEmbeddingProvider, type EmbeddingStore } from './embedding-cache';
import type { EmbeddingProvider } from './embedding-provider';
import { MicroBatchingEmbeddingProvider } from './micro-batching.embedding-provider';
import { OpenAiEmbeddingProvider } from './openai.embedding-provider';
import { TransformersEmbeddingProvider } from './transformers.embedding-provider';
import { UseLiteEmbeddingProvider } from './use-lite.embedding-provider';
import { WorkerEmbeddingProvider } from './worker.embedding-provider';

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

export interface EmbeddingProviderOptions {
  /**
   * Run a local model (USE-lite, transformers) on a worker thread shared by this process's
   * providers of the same configuration, off the event loop. Ignored for an endpoint, and where the
   * compiled worker is missing (specs from sources). Default false.
   */
  thread?: boolean;
}

/** One thread per model configuration in a process: the question and the chunk embedders share it. */
const threads = new Map<string, WorkerEmbeddingProvider>();

/**
 * Pick the provider from config, batch concurrent callers' texts together (a local model runs one
 * batch at a time; an endpoint takes a few requests at once) and wrap it in the cache. Offline unless
 * told otherwise: a key alone switches to OpenAI, a model folder alone does not (its dimensions must
 * be named).
 */
export function createEmbeddingProvider(config: EmbeddingConfig, store?: EmbeddingStore, options: EmbeddingProviderOptions = {}): CachedEmbeddingProvider {
  const model = createModelProvider(config);
  const remote = model instanceof OpenAiEmbeddingProvider;
  let provider: EmbeddingProvider = model;
  if (options.thread && !remote && WorkerEmbeddingProvider.isAvailable()) {
    const key = JSON.stringify(config);
    provider = threads.get(key) ?? new WorkerEmbeddingProvider(model, config);
    threads.set(key, provider as WorkerEmbeddingProvider);
  }
  const batched = new MicroBatchingEmbeddingProvider(provider, { maxInFlight: remote ? 4 : 1 });
  return new CachedEmbeddingProvider(batched, store);
}

/** The model itself, uncached and unbatched (what a worker thread runs). */
export function createModelProvider(config: EmbeddingConfig): EmbeddingProvider {
  const apiKey = config.EMBEDDINGS_API_KEY ?? config.OPENAI_API_KEY;
  const kind = config.EMBEDDINGS_PROVIDER ?? (apiKey ? 'openai' : 'use-lite');
  const dimensions = config.EMBEDDINGS_DIMENSIONS ? Number(config.EMBEDDINGS_DIMENSIONS) : undefined;
  if (kind === 'openai') {
    if (!apiKey) throw new Error('EMBEDDINGS_PROVIDER=openai needs EMBEDDINGS_API_KEY or OPENAI_API_KEY');
    return new OpenAiEmbeddingProvider({
      apiKey,
      baseURL: config.EMBEDDINGS_BASE_URL,
      model: config.EMBEDDINGS_MODEL,
      dimensions,
    });
  }
  if (kind === 'transformers') {
    if (!config.MODELS_DIR || !config.EMBEDDINGS_MODEL || !dimensions) {
      throw new Error('EMBEDDINGS_PROVIDER=transformers needs MODELS_DIR, EMBEDDINGS_MODEL and EMBEDDINGS_DIMENSIONS');
    }
    return new TransformersEmbeddingProvider({ modelsDir: config.MODELS_DIR, model: config.EMBEDDINGS_MODEL, dimensions });
  }
  if (kind === 'use-lite') return new UseLiteEmbeddingProvider();
  throw new Error(`Unknown EMBEDDINGS_PROVIDER "${kind}" (use-lite, transformers, openai)`);
}
