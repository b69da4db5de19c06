import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull, Repository } from 'typeorm';
import { Envelope, OutboundMessage } from '@cs/contracts';
import { Message } from '@cs/persistence';
import { InboundPublisher } from '../registry/inbound-publisher.service';

/** Writes the outcome of a send on the message row and tells the agent on `msg.status.*`. */
@Injectable()
export class DeliveryRecorder {
  private readonly messages: Repository<Message>;

  constructor(@Inject(DataSource) dataSource: DataSource, private readonly publisher: InboundPublisher) {
    this.messages = dataSource.getRepository(Message);
  }

  load(tenantId: string, messageId: string): Promise<Message | null> {
    return this.messages.findOne({ where: { id: messageId, tenantId } });
  }

  /** The row is written first: if the status publish fails, the redelivery finds it sent and re-announces. */
  async markSent(out: OutboundMessage, tenantId: string, externalMessageId: string, cause: Envelope): Promise<void> {
    await this.messages.update(
      { id: out.messageId, tenantId, externalMessageId: IsNull() },
      { externalMessageId, deliveryState: 'sent', errorCode: null, errorMessage: null },
    );
    await this.announceSent(out, tenantId, externalMessageId, cause);
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
