import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BusSubjects, MESSAGE_TYPES, makeEnvelope, newId, outboundMessageSchema, parseOrThrow, threadedChannelData, type MessagePart, type OutboundMessage } from '@cs/contracts';
import { ContactIdentity, Conversation, Message } from '@cs/persistence';
import { BUS, type Bus } from '@cs/messaging';

/** Where a message outside a turn goes: a connector, its account, the recipient. */
export type Destination = Pick<OutboundMessage, 'connectorId' | 'channel' | 'channelAccountId' | 'target' | 'channelData' | 'replyToMessageId' | 'language'>;

/**
 * Messages from the agent that answer no message of the customer's: the outcome of an action a
 * person approved later, a one-time code. Stored first (the connectors send only what is stored),
 * then published with the row's id as the bus's dedup key (a retried publish reaches the customer once).
 */
@Injectable()
export class ConversationNotifier {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(BUS) private readonly bus: Bus,
  ) {}

  /** The language the agent last answered this customer in (for its own sentences); undefined before any. */
  async languageOf(tenantId: string, conversationId: string): Promise<string | undefined> {
    const [last] = (await this.ds.query(
      `SELECT trace->>'replyLanguage' AS language FROM messages
        WHERE tenant_id = $1 AND conversation_id = $2 AND author_kind = 'bot' AND trace ? 'replyLanguage' ORDER BY id DESC LIMIT 1`,
      [tenantId, conversationId],
    )) as { language: string }[];
    return last?.language;
  }

  /** `text` on the conversation's own channel and thread; false when it has no channel identity to write to (nothing is stored then). */
  async tell(tenantId: string, conversationId: string, text: string, trace: Record<string, unknown>): Promise<boolean> {
    const conversation = await this.ds.manager.findOne(Conversation, { where: { id: conversationId, tenantId } });
    if (!conversation?.channelAccountId) return false;
    const target = await this.ds.manager.findOne(ContactIdentity, {
      where: { tenantId, contactId: conversation.contactId, channel: conversation.channel },
      order: { createdAt: 'DESC' },
    });
    if (!target) return false;
    const lastInbound = await this.ds.manager.findOne(Message, { where: { tenantId, conversationId, direction: 'in' }, order: { id: 'DESC' } });
    const parts = [{ type: 'text' as const, text }];
    const messageId = await this.deliver(
      tenantId,
      conversationId,
      {
        connectorId: conversation.connectorId,
        channel: conversation.channel as OutboundMessage['channel'],
        channelAccountId: conversation.channelAccountId,
        target: { externalUserId: target.externalUserId, address: target.address ?? undefined, externalThreadId: conversation.externalThreadId ?? undefined },
        replyToMessageId: lastInbound?.id,
        language: typeof trace.replyLanguage === 'string' ? trace.replyLanguage : undefined,
        channelData: threadedChannelData(conversation, lastInbound),
      },
      parts,
      { text, trace },
    );
    this.bus.emit(BusSubjects.convMessage(tenantId), {
      conversationId,
      channel: conversation.channel,
      externalThreadId: conversation.externalThreadId ?? undefined,
      messageId,
      detail: { direction: 'out', authorKind: 'bot', text },
    });
    return true;
  }

  /**
   * A bot message of the conversation sent to `to` (which may be another channel than the
   * conversation's): `parts` travel, `recorded` is what the conversation keeps. Returns its id.
   */
  async deliver(tenantId: string, conversationId: string, to: Destination, parts: MessagePart[], recorded: { text: string; trace: Record<string, unknown> }): Promise<string> {
    const message = await this.ds.manager.save(
      this.ds.manager.create(Message, {
        id: newId(),
        tenantId,
        conversationId,
        direction: 'out',
        authorKind: 'bot',
        connectorId: to.connectorId,
        parts: [{ type: 'text', text: recorded.text }],
        text: recorded.text,
        deliveryState: 'pending',
        trace: recorded.trace,
      }),
    );
    const outbound: OutboundMessage = parseOrThrow(outboundMessageSchema, { ...to, messageId: message.id, conversationId, authorKind: 'bot', parts, idempotencyKey: `out:${message.id}` });
    await this.bus.publish(BusSubjects.msgOut(outbound.channel, tenantId), makeEnvelope(MESSAGE_TYPES.outbound, tenantId, outbound, { conversationId }), { msgId: `out:${message.id}` });
    return message.id;
  }
}
