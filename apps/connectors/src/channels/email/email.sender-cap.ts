import type { DataSource } from 'typeorm';

/**
 * Mails per sender and mailbox in an hour, counted in `email_sender_counts` so that every
 * connectors process and a restart share one count: a mail loop with an auto-responder that
 * slips past the header guards gets at most the cap, however many processes it meets.
 *
 * The hour opens with the sender's first counted mail and the next one opens with the first mail
 * after it, by the database's clock (the processes' clocks may differ). That is stricter than
 * nothing and cheaper than a log of every mail: across the turn of two hours a sender can get up
 * to twice the cap, never more.
 */
export class SenderHourlyCap {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Counts one more mail from `address` if it stays within `cap`; false when the sender is past it.
   * One statement: the row lock of ON CONFLICT makes two processes racing for the last slot see
   * each other's count, so only one gets it.
   */
  async take(accountId: string, address: string, cap: number): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO email_sender_counts AS c (channel_account_id, address, window_start, mails) VALUES ($1, $2, now(), 1)
       ON CONFLICT (channel_account_id, address) DO UPDATE SET
         window_start = CASE WHEN c.window_start > now() - interval '1 hour' THEN c.window_start ELSE now() END,
         mails = CASE WHEN c.window_start > now() - interval '1 hour' THEN c.mails + 1 ELSE 1 END
       WHERE c.window_start <= now() - interval '1 hour' OR c.mails < $3
       RETURNING mails`,
      [accountId, address, cap],
    );
    return rows.length > 0;
  }

  /** Undoes a `take` for a mail that was not handed on, so the mailbox's retry of it is not counted twice. */
  async giveBack(accountId: string, address: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE email_sender_counts SET mails = mails - 1 WHERE channel_account_id = $1 AND address = $2 AND mails > 0`,
      [accountId, address],
    );
  }
}
