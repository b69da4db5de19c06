import { Inject, Injectable } from '@nestjs/common';
import {
  BusSubjects,
  MESSAGE_TYPES,
  makeEnvelope,
  replyOutcomeOf,
  type ConversationEvent,
  type Envelope,
  type InboundMessage,
  type OutboundMessage,
} from '@cs/contracts';
import { handoffs } from '@cs/config';
import { BUS, type Bus } from '@cs/messaging';
import type { Message } from '@cs/persistence';

export interface TurnAddress {
  envelope: Envelope<InboundMessage>;
  inbound: InboundMessage;
  conversationId: string;
  inboundMessageId: string;
}

/**
 * Everything the agent tells the rest of the system about a turn. Durable publishes carry
 * deterministic message ids (`out:<reply id>`, `handoff:<reply id>`), so a redelivered turn that
 * publishes again is dropped by the bus's deduplication instead of reaching the customer twice.
 */
@Injectable()
export class ReplyPublisher {
  constructor(@Inject(BUS) private readonly bus: Bus) {}

  async publishReply(turn: TurnAddress, reply: Message): Promise<void> {
    const { envelope, inbound } = turn;
    const data: OutboundMessage = {
      messageId: reply.id,
      conversationId: turn.conversationId,
      replyToMessageId: turn.inboundMessageId,
      connectorId: inbound.connectorId,
      channel: inbound.channel,
      channelAccountId: inbound.channelAccountId,
      target: { externalUserId: inbound.sender.externalUserId, address: inbound.sender.address, externalThreadId: inbound.externalThreadId },
      authorKind: 'bot',
      parts: reply.parts,
      language: replyLanguageOf(reply),
      channelData: { ...inbound.channelData, replyToExternalMessageId: inbound.externalMessageId },
      idempotencyKey: reply.id,
    };
    const outcome = replyOutcomeOf(reply.trace);
    if (outcome) data.outcome = outcome;
    const out = makeEnvelope(MESSAGE_TYPES.outbound, envelope.tenantId, data, {
      conversationId: turn.conversationId,
      correlationId: envelope.correlationId,
      causationId: envelope.id,
    });
    await this.bus.publish(BusSubjects.msgOut(inbound.channel, envelope.tenantId), out, { msgId: `out:${reply.id}` });

    const handoff = reply.trace?.handoff as { reason?: string; summary?: string } | undefined;
    if (handoff) {
      await this.bus.publish(
        BusSubjects.convEvent('handoff', envelope.tenantId),
        makeEnvelope<ConversationEvent>(MESSAGE_TYPES.conversation, envelope.tenantId, this.event(turn, 'waiting', reply.id, { ...handoff }), {
          conversationId: turn.conversationId,
          correlationId: envelope.correlationId,
          causationId: envelope.id,
        }),
        { msgId: `handoff:${reply.id}` },
      );
      handoffs.inc({ channel: inbound.channel, reason: handoff.reason ?? 'unknown' });
    }
    this.emitMessage(turn, reply, handoff ? 'waiting' : undefined);
  }

  /** The customer or staff resolved the conversation on the channel: the durable `conv.resolved`, once per message. */
  async publishResolved(turn: TurnAddress): Promise<void> {
    const { envelope } = turn;
    await this.bus.publish(
      BusSubjects.convEvent('resolved', envelope.tenantId),
      makeEnvelope<ConversationEvent>(
        MESSAGE_TYPES.conversation,
        envelope.tenantId,
        this.event(turn, 'resolved', turn.inboundMessageId, { by: turn.inbound.channelData.staff === true ? 'staff' : 'customer' }),
        { conversationId: turn.conversationId, correlationId: envelope.correlationId, causationId: envelope.id },
      ),
      { msgId: `resolved:${turn.inboundMessageId}` },
    );
  }

  /** The customer wrote again soon after a resolution: the durable `conv.reopened` (by `customer`), once per message. */
  async publishReopened(turn: TurnAddress): Promise<void> {
    const { envelope } = turn;
    await this.bus.publish(
      BusSubjects.convEvent('reopened', envelope.tenantId),
      makeEnvelope<ConversationEvent>(MESSAGE_TYPES.conversation, envelope.tenantId, this.event(turn, 'bot', turn.inboundMessageId, { by: 'customer' }), {
        conversationId: turn.conversationId,
        correlationId: envelope.correlationId,
        causationId: envelope.id,
      }),
      { msgId: `reopened:${turn.inboundMessageId}` },
    );
  }

  /** Live inboxes (core, not durable): a message was stored in a conversation. */
  emitMessage(turn: TurnAddress, message: Pick<Message, 'id' | 'direction' | 'authorKind' | 'text'>, status?: string): void {
    this.bus.emit(
      BusSubjects.convMessage(turn.envelope.tenantId),
      this.event(turn, status, message.id, { direction: message.direction, authorKind: message.authorKind, text: message.text }),
    );
  }

  /** The agent is working on an answer: the widget shows its typing indicator. */
  emitTyping(turn: TurnAddress): void {
    const { inbound } = turn;
    this.bus.emit(BusSubjects.convTyping(turn.envelope.tenantId), {
      conversationId: turn.conversationId,
      channel: inbound.channel,
      externalThreadId: inbound.externalThreadId,
      // The message being answered: Slack puts its 👀 on exactly that one.
      externalMessageId: inbound.externalMessageId,
      channelAccountId: inbound.channelAccountId,
      connectorId: inbound.connectorId,
    });
  }

  private event(turn: TurnAddress, status: string | undefined, messageId: string, detail: Record<string, unknown>): ConversationEvent {
    return {
      conversationId: turn.conversationId,
      channel: turn.inbound.channel,
      externalThreadId: turn.inbound.externalThreadId,
      status,
      messageId,
      detail,
    };
  }
}

/** The language the agent wrote its own sentences in, from the trace; replies stored before it was traced have none. */
function replyLanguageOf(reply: Message): string | undefined {
  const language = reply.trace?.replyLanguage;
  return typeof language === 'string' ? language : undefined;
}
