export * from './entities';
export * from './language';
export * from './sentiment';
export * from './understand-message';
