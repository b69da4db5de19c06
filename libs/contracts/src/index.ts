export * from './envelope';
export * from './subjects';
export * from './messages';
export * from './connector';
export * from './delivery-state';
export * from './channel-profile';
export * from './validation';
export * from './reply-language';
