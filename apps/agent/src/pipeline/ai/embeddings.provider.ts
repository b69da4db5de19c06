import * as os from 'os';
import * as path from 'path';
import type { Provider } from '@nestjs/common';
import { APP_CONFIG, type AgentEnv } from '@cs/config';
import { createEmbeddingProvider, FileEmbeddingStore, type CachedEmbeddingProvider, type EmbeddingConfig } from '@cs/ai';
import { HybridSearch } from '@cs/knowledge';
import { CachedHybridSearch } from './cached-hybrid-search';

/** One embedding provider per process for questions: the classifier and retrieval share its in-memory cache. */
export const EMBEDDINGS = Symbol('EMBEDDINGS');

export function embeddingConfig(env: AgentEnv): EmbeddingConfig {
  // What libs/ai's factory reads (its README), from the agent's validated env.
  return {
    EMBEDDINGS_PROVIDER: env.EMBEDDINGS_PROVIDER,
    EMBEDDINGS_API_KEY: env.EMBEDDINGS_API_KEY,
    EMBEDDINGS_BASE_URL: env.EMBEDDINGS_BASE_URL,
    EMBEDDINGS_MODEL: env.EMBEDDINGS_MODEL,
    EMBEDDINGS_DIMENSIONS: env.EMBEDDINGS_DIMENSIONS,
    MODELS_DIR: env.MODELS_DIR,
  };
}

export const embeddingsProvider: Provider = {
  provide: EMBEDDINGS,
  inject: [APP_CONFIG],
  // On its own thread: a batch of questions would otherwise hold up every conversation's I/O.
  useFactory: (env: AgentEnv): CachedEmbeddingProvider => createEmbeddingProvider(embeddingConfig(env), undefined, { thread: true }),
};

/*
 * Chunk vectors live in the database (knowledge_chunks.embedding), but a new database — a new
 * tenant with the same articles, a fresh test database, a restored backup — would embed every chunk
 * again (80 ms a chunk for USE-lite on a busy 2-core machine). A file of vectors keyed by model and
 * text hash, shared by the processes of this machine, makes that a lookup. Only knowledge-base text
 * goes in it, never customer messages. CHUNK_VECTOR_CACHE=off disables it.
 */
function chunkEmbedder(env: AgentEnv): CachedEmbeddingProvider {
  const file = env.CHUNK_VECTOR_CACHE ?? path.join(os.tmpdir(), 'cs-agent-cache', 'chunk-vectors.bin');
  return createEmbeddingProvider(embeddingConfig(env), file === 'off' ? undefined : new FileEmbeddingStore(file), { thread: true });
}

export const hybridSearchProvider: Provider = {
  provide: HybridSearch,
  inject: [APP_CONFIG],
  // Results cached per question and knowledge-base fingerprint (cached-hybrid-search.ts).
  useFactory: (env: AgentEnv) => new CachedHybridSearch(chunkEmbedder(env)),
};
