import { Inject, Injectable } from '@nestjs/common';
import {
  BusSubjects,
  DeliveryStatus,
  InboundMessage,
  MESSAGE_TYPES,
  deliveryStatusSchema,
  inboundMessageSchema,
  makeEnvelope,
  parseOrThrow,
  safeStrings,
} from '@cs/contracts';
import { inboundByAccount } from '@cs/config';
import { BUS, Bus } from '@cs/messaging';

/**
 * The one way connectors put traffic on the bus. Inbound `Nats-Msg-Id` is
 * `<connectorId>:<externalMessageId>` so a vendor (or widget) resend is dropped by the stream.
 * Every inbound message's strings are made safe here (NUL, control characters, lone surrogates),
 * whatever the channel, before anything downstream stores them.
 */
@Injectable()
export class InboundPublisher {
  constructor(@Inject(BUS) private readonly bus: Bus) {}

  async publishInbound(tenantId: string, message: InboundMessage, opts: { conversationId?: string } = {}): Promise<void> {
    const data = parseOrThrow(inboundMessageSchema, safeStrings(message));
    const envelope = makeEnvelope(MESSAGE_TYPES.inbound, tenantId, data, { conversationId: opts.conversationId });
    await this.bus.publish(BusSubjects.msgIn(data.channel, tenantId), envelope, {
      msgId: `${data.connectorId}:${data.externalMessageId}`,
    });
    inboundByAccount.inc({ connector: data.connectorId, channel_account: data.channelAccountId });
  }

  async publishStatus(
    tenantId: string,
    channel: string,
    status: DeliveryStatus,
    opts: { conversationId?: string; causationId?: string; correlationId?: string } = {},
  ): Promise<void> {
    const data = parseOrThrow(deliveryStatusSchema, status);
    const envelope = makeEnvelope(MESSAGE_TYPES.status, tenantId, data, opts);
    const ref = data.messageId ?? data.externalMessageId ?? envelope.id;
    await this.bus.publish(BusSubjects.msgStatus(channel, tenantId), envelope, {
      msgId: `status:${data.connectorId}:${ref}:${data.state}`,
    });
  }
}
