export * from './chunker';
export * from './front-matter';
export * from './knowledge-indexer.service';
export * from './knowledge-search.service';
export * from './seed/demo-articles';
export * from './seed/seed-demo';
