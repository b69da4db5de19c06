import { Inject, Injectable } from '@nestjs/common';
import { BusSubjects, MESSAGE_TYPES, conversationEventSchema, makeEnvelope, parseOrThrow, type OutboundMessage } from '@cs/contracts';
import { BUS, type Bus } from '@cs/messaging';
import type { Conversation, Message } from '@cs/persistence';

/**
 * Durable conversation events (`conv.<name>.<tenantId>`): `handoff` comes from the agent, `csat` from
 * the customer's rating (csat.service.ts), `sla_breached` and `closed` from the helpdesk jobs
 * (admin/helpdesk), the rest from the console.
 */
export const CONVERSATION_EVENT_NAMES = ['handoff', 'assigned', 'resolved', 'reopened', 'handed_back', 'csat', 'sla_breached', 'closed'] as const;
export type ConversationEventName = (typeof CONVERSATION_EVENT_NAMES)[number];

/** What staff actions put on the bus, always after the database commit. */
@Injectable()
export class ConversationEventsPublisher {
  constructor(@Inject(BUS) private readonly bus: Bus) {}

  /** A person's reply for the conversation's connector, deduplicated by message id like the agent's. */
  async publishOutbound(conversation: Conversation, outbound: OutboundMessage): Promise<void> {
    await this.bus.publish(
      BusSubjects.msgOut(conversation.channel, conversation.tenantId),
      makeEnvelope(MESSAGE_TYPES.outbound, conversation.tenantId, outbound, { conversationId: conversation.id }),
      { msgId: `out:${outbound.messageId}` },
    );
  }

  /** Live inboxes (core, like the agent's `conv.message`): a person wrote in the conversation. */
  emitMessage(conversation: Conversation, message: Message): void {
    this.bus.emit(BusSubjects.convMessage(conversation.tenantId), {
      conversationId: conversation.id,
      channel: conversation.channel,
      status: conversation.status,
      messageId: message.id,
      detail: { direction: message.direction, authorKind: message.authorKind, authorId: message.authorId, private: message.private, text: message.text },
    });
  }

  /**
   * `conv.<event>.<tenantId>` (durable) for analytics and outbound webhooks, and `conv.staff.<tenantId>`
   * (core) for the live inboxes of the console.
   */
  async announce(conversation: Conversation, event: ConversationEventName, message?: Pick<Message, 'id' | 'authorKind'>, extra: Record<string, unknown> = {}, msgId?: string): Promise<void> {
    // A person's reply names its message: the agent's learning loop makes a suggested article of it.
    const data = parseOrThrow(conversationEventSchema, {
      conversationId: conversation.id,
      channel: conversation.channel,
      externalThreadId: conversation.externalThreadId ?? undefined,
      status: conversation.status,
      ...(message ? { messageId: message.id } : {}),
      detail: { assigneeId: conversation.assigneeId, ...(message ? { authorKind: message.authorKind } : {}), ...extra },
    });
    await this.bus.publish(
      BusSubjects.convEvent(event, conversation.tenantId),
      makeEnvelope(MESSAGE_TYPES.conversation, conversation.tenantId, data, { conversationId: conversation.id }),
      msgId ? { msgId } : undefined,
    );
    this.bus.emit(BusSubjects.convStaff(conversation.tenantId), { ...data, detail: { ...data.detail, event } });
  }
}
