import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BusSubjects, type ConversationEvent, type LiveConversationEvent } from '@cs/contracts';
import { BUS, type Bus, type BusMessage, type Subscription } from '@cs/messaging';
import { Conversation } from '@cs/persistence';
import { ConversationEventsPublisher } from '../conversations/conversation-events.publisher';
import { NotificationMailer } from './notification-mailer.service';
import { RoundRobinService } from './round-robin.service';

/**
 * What the helpdesk does when things happen to conversations:
 * - a hand-off (durable `conv.handoff`, consumer `helpdesk-handoff`, shared by every gateway
 *   process): the SLA clock starts, the conversation is assigned round-robin, and the assignee (or
 *   the team) is emailed;
 * - a customer writes into an assigned conversation (core `conv.message`, queue group
 *   `helpdesk-notify`: one process gets each): the assignee is emailed.
 */
@Injectable()
export class HelpdeskEvents implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(HelpdeskEvents.name);
  private readonly subscriptions: Subscription[] = [];

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(DataSource) private readonly db: DataSource,
    private readonly roundRobin: RoundRobinService,
    private readonly mailer: NotificationMailer,
    private readonly events: ConversationEventsPublisher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subscriptions.push(
      await this.bus.consume<ConversationEvent>(
        { durable: 'helpdesk-handoff', filterSubjects: [BusSubjects.convEventAll('handoff')], maxDeliver: 5, backoffMs: [1000, 5000, 15000] },
        (message) => this.handedOff(message),
      ),
    );
    this.subscriptions.push(
      this.bus.on(BusSubjects.convMessageAll(), (payload, subject) => void this.customerWrote(payload, subject.split('.').pop() ?? '').catch(() => undefined), 'helpdesk-notify'),
    );
  }

  async onModuleDestroy(): Promise<void> {
    for (const subscription of this.subscriptions.splice(0)) await subscription.unsubscribe().catch(() => undefined);
  }

  async handedOff(message: BusMessage<ConversationEvent>): Promise<void> {
    const { tenantId, occurredAt, data } = message.envelope;
    const routed = await this.roundRobin.route(tenantId, data.conversationId, new Date(occurredAt));
    if (!routed) return;
    const conversation = await this.db.manager.findOne(Conversation, { where: { id: data.conversationId, tenantId } });
    if (!conversation) return;
    if (routed.assigned) {
      await this.events.announce(conversation, 'assigned', undefined, { by: 'round_robin', teamId: routed.teamId }, `assigned:round-robin:${data.messageId ?? message.envelope.id}`);
    }
    const summary = typeof data.detail.summary === 'string' ? data.detail.summary : 'The agent handed the conversation over to a person.';
    const who = await this.contactName(tenantId, conversation.contactId);
    await this.mailer.send({
      tenantId,
      conversationId: conversation.id,
      eventKey: `handoff:${data.messageId ?? message.envelope.id}`,
      assigneeId: conversation.assigneeId,
      teamId: conversation.teamId,
      subject: `Handed off to ${conversation.assigneeId ? 'you' : 'your team'}: ${who} on ${conversation.channel}`,
      text: `${who} needs a person (${conversation.channel}).\n\n${summary}`,
    });
  }

  private async customerWrote(event: LiveConversationEvent, tenantId: string): Promise<void> {
    const detail = event.detail as { direction?: string; authorKind?: string; text?: string };
    if (detail.direction !== 'in' || detail.authorKind !== 'contact' || !event.messageId) return;
    try {
      const conversation = await this.db.manager.findOne(Conversation, { where: { id: event.conversationId, tenantId } });
      if (!conversation || conversation.status !== 'assigned' || !conversation.assigneeId) return;
      const who = await this.contactName(tenantId, conversation.contactId);
      const text = (detail.text ?? '').slice(0, 2000);
      await this.mailer.send({
        tenantId,
        conversationId: conversation.id,
        eventKey: `message:${event.messageId}`,
        assigneeId: conversation.assigneeId,
        teamId: null,
        subject: `New message from ${who} on ${conversation.channel}`,
        text: `${who} wrote in a conversation assigned to you:\n\n${text}`,
      });
    } catch (err) {
      this.logger.warn(`could not email about message ${event.messageId}: ${(err as Error).message}`);
    }
  }

  private async contactName(tenantId: string, contactId: string): Promise<string> {
    const [row] = (await this.db.query(`SELECT coalesce(name, email, phone, 'A customer') AS name FROM contacts WHERE id = $1 AND tenant_id = $2`, [contactId, tenantId])) as { name: string }[];
    return row?.name ?? 'A customer';
  }
}
