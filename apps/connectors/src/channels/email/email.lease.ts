import { Logger } from '@nestjs/common';
import type { DataSource, QueryRunner } from 'typeorm';

/**
 * Which connectors process watches which mailbox, when several run (the distributed mode): a
 * PostgreSQL session-level advisory lock per mailbox, all held on one dedicated connection per
 * process. The lock goes with the session, so a crashed process frees its mailboxes at once.
 * Two processes reading the same mailbox would still answer once (the msgId dedupe and the
 * agent's unique index), but would each fetch, count and flag every mail.
 *
 * The embedded database (PGlite) is one process by construction, and a held connection would
 * hold its process-wide lock: there every lease is granted without SQL.
 */
export class MailboxLeases {
  private readonly logger = new Logger('EmailMailboxLeases');
  private runner: QueryRunner | null = null;
  private readonly held = new Set<string>();
  private readonly enabled: boolean;

  constructor(private readonly dataSource: DataSource) {
    this.enabled = Boolean((dataSource.options as { url?: string }).url);
  }

  async acquire(accountId: string): Promise<boolean> {
    if (!this.enabled || this.held.has(accountId)) return true;
    try {
      this.runner ??= this.dataSource.createQueryRunner();
      const rows: { ok: boolean }[] = await this.runner.query('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok', [lockKey(accountId)]);
      if (rows[0]?.ok) this.held.add(accountId);
      return rows[0]?.ok === true;
    } catch (err) {
      // The lock session broke (database restart): start over with a new one on the next try.
      this.logger.warn(`mailbox lease for ${accountId} not taken: ${(err as Error).message}`);
      await this.reset();
      return false;
    }
  }

  async release(accountId: string): Promise<void> {
    if (!this.enabled || !this.held.delete(accountId) || !this.runner) return;
    await this.runner.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockKey(accountId)]).catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.reset();
  }

  private async reset(): Promise<void> {
    const runner = this.runner;
    this.runner = null;
    this.held.clear();
    await runner?.release().catch(() => undefined);
  }
}

const lockKey = (accountId: string) => `email-mailbox:${accountId}`;
