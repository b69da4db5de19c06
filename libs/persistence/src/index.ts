export * from './entities';
export * from './data-source';
export * from './migrations';
export * from './services';
export * from './database-failure';
export * from './data-dir-lock';
export * from './conversation-outcome';
export * from './training-examples';
