import { join } from 'path';
import { createEmbeddingProvider, FileEmbeddingStore, type CachedEmbeddingProvider, type EmbeddingProvider } from '@cs/ai';

/**
 * The embedding model an evaluation measures, chosen as the agent chooses it (EMBEDDINGS_PROVIDER,
 * MODELS_DIR, EMBEDDINGS_MODEL, EMBEDDINGS_DIMENSIONS, ...; USE-lite when unset), so another model
 * is measured by setting the same variables the agent reads, e.g.
 * `EMBEDDINGS_PROVIDER=transformers MODELS_DIR=~/models EMBEDDINGS_MODEL=bge-small-en-v1.5 EMBEDDINGS_DIMENSIONS=384 npm run eval`.
 * Vectors are cached in .tmp/, one file per model.
 */
export interface EvalEmbeddings {
  embeddings: CachedEmbeddingProvider;
  /** A copy with nothing cached, for latency as a new message meets it. */
  fresh(): EmbeddingProvider;
}

export function evalEmbeddings(root: string, env: NodeJS.ProcessEnv = process.env): EvalEmbeddings {
  const probe = createEmbeddingProvider(env);
  const file = `eval-embeddings-${probe.id.replace(/[^A-Za-z0-9.-]+/g, '-')}.bin`;
  return {
    embeddings: createEmbeddingProvider(env, new FileEmbeddingStore(join(root, '.tmp', file))),
    fresh: () => createEmbeddingProvider(env),
  };
}
