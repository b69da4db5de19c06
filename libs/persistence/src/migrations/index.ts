import { Init1795624077024 } from './1795624077024-Init';

/** Every migration, in order. Never edit one that has landed: add a new one. */
export const MIGRATIONS: Function[] = [Init1795624077024];
