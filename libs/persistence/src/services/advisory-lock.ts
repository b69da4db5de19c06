import type { EntityManager } from 'typeorm';

/**
 * Take a transaction-scoped advisory lock on `key` (any string; hashed to 64 bits). It is held
 * until the surrounding transaction ends, so `manager` must be a transaction's manager: outside a
 * transaction the lock would be released as soon as the statement returns. On PGlite (one
 * connection, transactions already serialized) it is a no-op in effect, and the SQL is the same.
 */
export async function withAdvisoryLock(manager: EntityManager, key: string): Promise<void> {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error('withAdvisoryLock needs a transaction manager (use dataSource.transaction)');
  }
  await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
}
