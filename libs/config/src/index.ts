export * from './config';
export * from './metrics';
export * from './core.module';
export * from './health.module';
export * from './secret-box';
export * from './process-guards';
