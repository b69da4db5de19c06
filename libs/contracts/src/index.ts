export * from './envelope';
export * from './subjects';
export * from './messages';
export * from './connector';
export * from './validation';
export * from './reply-language';
export * from './safe-text';
export * from './client-message-id';
