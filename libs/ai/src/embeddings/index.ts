export * from './embedding-provider';
export * from './embedding-cache';
export * from './micro-batching.embedding-provider';
export * from './file-embedding.store';
export * from './use-lite.embedding-provider';
export * from './openai.embedding-provider';
export * from './transformers.embedding-provider';
export * from './embedding-provider.factory';
