import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull, Repository } from 'typeorm';
import { Envelope, OutboundMessage } from '@cs/contracts';
import { Message, StatementBatcher } from '@cs/persistence';
import { InboundPublisher } from '../registry/inbound-publisher.service';

type SentItem = { messageId: string; tenantId: string; externalMessageId: string; claimKey: string | null };

/**
 * Writes the outcome of a send on the message row and tells the agent on `msg.status.*`. Marking
 * sends done is grouped across concurrent sends (StatementBatcher): one round trip for many
 * messages under load.
 */
@Injectable()
export class DeliveryRecorder {
  private readonly messages: Repository<Message>;
  private readonly sends: StatementBatcher<SentItem, void>;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource, private readonly publisher: InboundPublisher) {
    this.messages = dataSource.getRepository(Message);
    this.sends = new StatementBatcher((items) => this.markAllSent(items));
  }

  /**
   * The row is written first: if the status publish fails, the redelivery finds it sent and
   * re-announces. `claimKey`, the send claim, is released in the same statement (one round trip,
   * and never a moment where the claim is gone but the row not yet marked).
   */
  async markSent(out: OutboundMessage, tenantId: string, externalMessageId: string, cause: Envelope, claimKey?: string): Promise<void> {
    await this.sends.submit({ messageId: out.messageId, tenantId, externalMessageId, claimKey: claimKey ?? null });
    await this.announceSent(out, tenantId, externalMessageId, cause);
  }

  private async markAllSent(items: SentItem[]): Promise<void[]> {
    await this.dataSource.query(
      `WITH sent AS (
         UPDATE messages m SET external_message_id = item.external_id, delivery_state = 'sent', error_code = NULL, error_message = NULL
         FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS item(id, tenant_id, external_id)
         WHERE m.id = item.id AND m.tenant_id = item.tenant_id AND m.external_message_id IS NULL
       )
       DELETE FROM idempotency_keys WHERE key = ANY($4::text[])`,
      [items.map((i) => i.messageId), items.map((i) => i.tenantId), items.map((i) => i.externalMessageId), items.flatMap((i) => (i.claimKey ? [i.claimKey] : []))],
    );
    return items.map(() => undefined);
  }

  announceSent(out: OutboundMessage, tenantId: string, externalMessageId: string, cause: Envelope): Promise<void> {
    return this.publisher.publishStatus(
      tenantId,
      out.channel,
      { messageId: out.messageId, externalMessageId, connectorId: out.connectorId, state: 'sent' },
      { conversationId: out.conversationId, causationId: cause.id, correlationId: cause.correlationId },
    );
  }

  async markFailed(out: OutboundMessage, tenantId: string, code: string, reason: string, cause: Envelope): Promise<void> {
    const errorMessage = reason.slice(0, 500);
    await this.messages.update(
      { id: out.messageId, tenantId, externalMessageId: IsNull() },
      { deliveryState: 'failed', errorCode: code, errorMessage },
    );
    await this.publisher.publishStatus(
      tenantId,
      out.channel,
      { messageId: out.messageId, connectorId: out.connectorId, state: 'failed', errorCode: code, errorMessage },
      { conversationId: out.conversationId, causationId: cause.id, correlationId: cause.correlationId },
    );
  }
}
