import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Longer than any send plus the bus's ack wait: a claim older than this belonged to a dead process. */
export const CLAIM_LEASE_SECONDS = 60;

/**
 * A short lease on "I am sending message X" (a row in idempotency_keys), so two connector processes
 * handed the same outbound message at once (a redelivery racing the first delivery) never both call
 * the vendor. The message row stays the record of what was sent; the claim only covers the send.
 */
@Injectable()
export class SendClaims {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** True when this process may send; false while another one holds a live claim. */
  async claim(tenantId: string, messageId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO idempotency_keys (key, tenant_id, result, created_at) VALUES ($1, $2, NULL, now())
       ON CONFLICT (key) DO UPDATE SET created_at = now()
         WHERE idempotency_keys.created_at < now() - make_interval(secs => $3)
       RETURNING key`,
      [keyOf(messageId), tenantId, CLAIM_LEASE_SECONDS],
    );
    return rows.length > 0;
  }

  async release(messageId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM idempotency_keys WHERE key = $1`, [keyOf(messageId)]);
  }
}

function keyOf(messageId: string): string {
  return `send:${messageId}`;
}
