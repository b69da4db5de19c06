export * from './advisory-lock';
export * from './contact-resolver.service';
export * from './conversation-resolver.service';
export * from './statement-batcher';
export * from './csat-ratings';
