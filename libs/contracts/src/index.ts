export * from './envelope';
export * from './subjects';
export * from './bus-payloads';
export * from './messages';
export * from './connector';
export * from './validation';
export * from './reply-language';
