export * from './embeddings';
export * from './intents';
export * from './understand';
