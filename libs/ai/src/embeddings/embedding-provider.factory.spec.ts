import { createEmbeddingProvider } from './embedding-provider.factory';

describe('createEmbeddingProvider', () => {
  it('is offline (USE-lite) unless told otherwise', () => {
    expect(createEmbeddingProvider({}).id).toBe('use-lite');
    expect(createEmbeddingProvider({ MODELS_DIR: '/models' }).id).toBe('use-lite');
  });

  it('switches to OpenAI-compatible embeddings when a key is set', () => {
    expect(createEmbeddingProvider({ OPENAI_API_KEY: 'sk-x' }).id).toBe('openai:text-embedding-3-small:1536');
    expect(createEmbeddingProvider({ EMBEDDINGS_API_KEY: 'k', EMBEDDINGS_MODEL: 'nomic', EMBEDDINGS_DIMENSIONS: '768' }).id).toBe('openai:nomic:768');
  });

  it('refuses a transformers setup that does not name its model and size', () => {
    expect(() => createEmbeddingProvider({ EMBEDDINGS_PROVIDER: 'transformers', MODELS_DIR: '/models' })).toThrow(/EMBEDDINGS_MODEL/);
    expect(createEmbeddingProvider({ EMBEDDINGS_PROVIDER: 'transformers', MODELS_DIR: '/m', EMBEDDINGS_MODEL: 'bge-small', EMBEDDINGS_DIMENSIONS: 384 }).id).toBe('transformers:bge-small');
  });

  it('names an unknown provider in its error', () => {
    expect(() => createEmbeddingProvider({ EMBEDDINGS_PROVIDER: 'word2vec' })).toThrow(/word2vec/);
  });
});
