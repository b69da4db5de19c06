import { randomUUID } from 'crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Message } from '@cs/persistence';
import { StatementBatcher } from '@cs/persistence';

/** Longer than any send plus the bus's ack wait: a claim older than this belonged to a dead process. */
export const CLAIM_LEASE_SECONDS = 60;

/** What the send guard reads of the message row. */
export type GuardRow = Pick<Message, 'direction' | 'private' | 'externalMessageId' | 'deliveryState'>;

export interface Claimed {
  /** False while another worker holds a live claim on the message. */
  claimed: boolean;
  /** The message row as committed after the claim was taken (null when there is none). */
  row: GuardRow | null;
}

type ClaimItem = { tenantId: string; messageId: string };
type ClaimRow = { ord: number; claimed: boolean | null; direction: Message['direction'] | null; private: boolean | null; external_message_id: string | null; delivery_state: Message['deliveryState'] | null };

/**
 * A short lease on "I am sending message X" (a row in idempotency_keys), so two connector processes
 * handed the same outbound message at once (a redelivery racing the first delivery) never both call
 * the vendor. The message row stays the record of what was sent; the claim only covers the send.
 *
 * Claiming and reading the row for the send guard take one round trip for every send ready at the
 * same moment: two statements in one simple-protocol query (values as dollar-quoted literals). The
 * read is its own statement after the claim, so it sees a send that finished a moment ago exactly
 * as a separate query would; a token written with the claim tells our claims from another
 * worker's live ones.
 */
@Injectable()
export class SendClaims {
  private readonly claims: StatementBatcher<ClaimItem, Claimed>;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    this.claims = new StatementBatcher((items) => this.claimAll(items));
  }

  claimAndLoad(tenantId: string, messageId: string): Promise<Claimed> {
    return this.claims.submit({ tenantId, messageId });
  }

  async release(messageId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM idempotency_keys WHERE key = $1`, [keyOf(messageId)]);
  }

  private async claimAll(items: ClaimItem[]): Promise<Claimed[]> {
    const token = randomUUID();
    const input = dollarQuoted(JSON.stringify(items.map((i, ord) => ({ ord, key: keyOf(i.messageId), tenant_id: i.tenantId, message_id: i.messageId }))));
    const sql = `
INSERT INTO idempotency_keys (key, tenant_id, result, created_at)
SELECT key, tenant_id, jsonb_build_object('claim', '${token}'), now()
FROM jsonb_to_recordset(${input}::jsonb) AS x(key text, tenant_id uuid)
ON CONFLICT (key) DO UPDATE SET created_at = now(), result = EXCLUDED.result
  WHERE idempotency_keys.created_at < now() - make_interval(secs => ${CLAIM_LEASE_SECONDS});
SELECT w.ord, k.result->>'claim' = '${token}' AS claimed, m.direction, m.private, m.external_message_id, m.delivery_state
FROM jsonb_to_recordset(${input}::jsonb) AS w(ord int, key text, tenant_id uuid, message_id uuid)
LEFT JOIN idempotency_keys k ON k.key = w.key
LEFT JOIN messages m ON m.id = w.message_id AND m.tenant_id = w.tenant_id`;
    const runner = this.dataSource.createQueryRunner();
    try {
      const connection = (await runner.connect()) as { query(sql: string): Promise<{ rows: unknown[] } | { rows: unknown[] }[]> };
      const raw = await connection.query(sql);
      // node-postgres answers a multi-statement query with one result each; PGlite with the last.
      const rows = (Array.isArray(raw) ? raw[raw.length - 1] : raw).rows as ClaimRow[];
      const byOrd = new Map(rows.map((r) => [r.ord, r]));
      return items.map((_, ord) => {
        const r = byOrd.get(ord);
        const row = r?.direction
          ? { direction: r.direction, private: !!r.private, externalMessageId: r.external_message_id, deliveryState: r.delivery_state as Message['deliveryState'] }
          : null;
        return { claimed: r?.claimed === true, row };
      });
    } finally {
      await runner.release();
    }
  }
}

/** The claim's row key; `DeliveryRecorder.markSent` releases it together with marking the row sent. */
export function keyOf(messageId: string): string {
  return `send:${messageId}`;
}

/** A dollar-quoted literal whose tag does not occur in the text: the text goes in verbatim, whatever it holds. */
function dollarQuoted(text: string): string {
  let tag: string;
  do tag = `cs${Math.random().toString(36).slice(2, 10)}`;
  while (text.includes(`$${tag}$`));
  return `$${tag}$${text}$${tag}$`;
}
