import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { ValidationFailed, newId, outboundMessageSchema, parseOrThrow, threadedChannelData, type OutboundMessage } from '@cs/contracts';
import { ContactIdentity, Conversation, ConversationReopen, Message, User } from '@cs/persistence';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { ConversationEventsPublisher, type ConversationEventName } from './conversation-events.publisher';

type Change = Partial<Pick<Conversation, 'status' | 'assigneeId' | 'resolvedAt' | 'waitingSince' | 'slaBreachedAt' | 'closedAt'>>;
type Action = 'assign' | 'resolve' | 'reopen' | 'handback';

/** The `conv.<event>` each staff action announces (outbound webhooks subscribe to these names). */
const EVENT_OF_ACTION: Record<Action, ConversationEventName> = {
  assign: 'assigned',
  resolve: 'resolved',
  reopen: 'reopened',
  handback: 'handed_back',
};

/**
 * What staff do to a conversation. Each action locks the conversation row, changes it and writes
 * the audit entry in one transaction; what goes on the bus is published after the commit, so a
 * connector never looks for a message that is not stored yet.
 */
@Injectable()
export class ConversationActionsService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly events: ConversationEventsPublisher,
    private readonly audit: AuditService,
  ) {}

  /** A person's reply: stored, sent on the conversation's channel, and the person now owns it (the bot stays silent). */
  async reply(caller: Principal, tenantId: string, id: string, text: string): Promise<Message> {
    const { message, outbound, conversation } = await this.db.transaction(async (manager) => {
      const conversation = await this.lock(manager, tenantId, id);
      if (!conversation.channelAccountId) throw new ConflictException('this conversation has no channel account to reply through');
      const target = await manager.findOne(ContactIdentity, {
        where: { tenantId, contactId: conversation.contactId, channel: conversation.channel },
        order: { createdAt: 'DESC' },
      });
      if (!target) throw new ConflictException('the contact has no identity on this channel to reply to');
      // Threads the reply under the customer's last message, as the agent's replies are (email In-Reply-To, Slack thread).
      const lastInbound = await manager.findOne(Message, { where: { tenantId, conversationId: id, direction: 'in' }, order: { id: 'DESC' } });
      // The letter around a person's reply (email greeting, quote header) in the language the agent last
      // answered this customer in; the person's own words are theirs.
      const [lastBot] = (await manager.query(
        `SELECT trace->>'replyLanguage' AS language FROM messages
          WHERE tenant_id = $1 AND conversation_id = $2 AND author_kind = 'bot' AND trace ? 'replyLanguage'
          ORDER BY id DESC LIMIT 1`,
        [tenantId, id],
      )) as { language: string }[];
      const message = await this.storeMessage(manager, caller, conversation, text, false);
      const assigneeId = caller.kind === 'user' ? caller.id : conversation.assigneeId;
      // A person answered: the customer no longer waits (the SLA clock stops).
      await this.change(manager, conversation, { status: assigneeId ? 'assigned' : 'waiting', assigneeId, waitingSince: null }, message.createdAt);
      await this.audit.record(caller, 'conversation.reply', { type: 'conversation', id }, { messageId: message.id }, manager);
      const outbound: OutboundMessage = parseOrThrow(outboundMessageSchema, {
        messageId: message.id,
        conversationId: conversation.id,
        replyToMessageId: lastInbound?.id,
        connectorId: conversation.connectorId,
        channel: conversation.channel,
        channelAccountId: conversation.channelAccountId,
        target: {
          externalUserId: target.externalUserId,
          address: target.address ?? undefined,
          externalThreadId: conversation.externalThreadId ?? undefined,
        },
        authorKind: 'person',
        authorName: caller.name,
        language: lastBot?.language,
        parts: message.parts,
        channelData: threadedChannelData(conversation, lastInbound),
        idempotencyKey: `out:${message.id}`,
      });
      return { message, outbound, conversation };
    });
    await this.events.publishOutbound(conversation, outbound);
    await this.events.announce(conversation, 'assigned', message);
    this.events.emitMessage(conversation, message);
    return message;
  }

  /** A private note: stored with the conversation for the team, never sent to the customer. */
  async note(caller: Principal, tenantId: string, id: string, text: string): Promise<Message> {
    const { conversation, message } = await this.db.transaction(async (manager) => {
      const conversation = await this.lock(manager, tenantId, id);
      const message = await this.storeMessage(manager, caller, conversation, text, true);
      await this.audit.record(caller, 'conversation.note', { type: 'conversation', id }, { messageId: message.id }, manager);
      return { conversation, message };
    });
    this.events.emitMessage(conversation, message);
    return message;
  }

  async assign(caller: Principal, tenantId: string, id: string, assigneeId: string | null | undefined): Promise<Conversation> {
    const target = assigneeId === undefined ? (caller.kind === 'user' ? caller.id : null) : assigneeId;
    // Checked after the conversation is found: another tenant's id is a 404 whatever the body says.
    return this.act(caller, tenantId, id, 'assign', async (manager) => {
      if (target === null && assigneeId === undefined) {
        throw new ValidationFailed([{ path: 'assigneeId', message: 'an API key cannot take a conversation; name the assignee' }]);
      }
      if (target) {
        const user = await manager.findOne(User, { where: { id: target, tenantId, role: In(['owner', 'admin', 'agent']) } });
        if (!user || user.disabledAt) throw new ValidationFailed([{ path: 'assigneeId', message: 'no active user of this tenant has this id' }]);
      }
      return { status: target ? 'assigned' : 'waiting', assigneeId: target };
    });
  }

  resolve(caller: Principal, tenantId: string, id: string): Promise<Conversation> {
    return this.act(caller, tenantId, id, 'resolve', async () => ({ status: 'resolved', resolvedAt: new Date() }));
  }

  /** Back to the team's queue (or its assignee); a new customer message reopens to the bot instead. */
  reopen(caller: Principal, tenantId: string, id: string): Promise<Conversation> {
    return this.act(caller, tenantId, id, 'reopen', async (manager, conversation) => {
      // Counted as a reopen in analytics, experiments and gaps (@cs/persistence conversation-outcome.ts).
      if (conversation.status === 'resolved') await manager.insert(ConversationReopen, { id: newId(), tenantId, conversationId: id, by: 'staff', messageId: null, resolvedAt: conversation.resolvedAt });
      return { status: conversation.assigneeId ? 'assigned' : 'waiting', resolvedAt: null };
    });
  }

  /** The bot answers this conversation again. */
  handBack(caller: Principal, tenantId: string, id: string): Promise<Conversation> {
    return this.act(caller, tenantId, id, 'handback', async () => ({ status: 'bot', assigneeId: null, resolvedAt: null }));
  }

  private async act(
    caller: Principal,
    tenantId: string,
    id: string,
    action: Action,
    decide: (manager: EntityManager, conversation: Conversation) => Promise<Change>,
  ): Promise<Conversation> {
    const updated = await this.db.transaction(async (manager) => {
      const conversation = await this.lock(manager, tenantId, id);
      const change = await decide(manager, conversation);
      const next = await this.change(manager, conversation, change);
      await this.audit.record(caller, `conversation.${action}`, { type: 'conversation', id }, { ...change }, manager);
      return next;
    });
    await this.events.announce(updated, EVENT_OF_ACTION[action]);
    return updated;
  }

  private async lock(manager: EntityManager, tenantId: string, id: string): Promise<Conversation> {
    const conversation = await manager.findOne(Conversation, { where: { id, tenantId }, lock: { mode: 'pessimistic_write' } });
    if (!conversation) throw new NotFoundException('no such conversation');
    return conversation;
  }

  private async change(manager: EntityManager, conversation: Conversation, change: Change, lastMessageAt?: Date): Promise<Conversation> {
    const patch: Change & { lastMessageAt?: Date } = { ...change, ...(lastMessageAt ? { lastMessageAt } : {}) };
    if (change.status && change.status !== 'resolved') Object.assign(patch, { resolvedAt: null, closedAt: null });
    // Resolved or back with the bot: nobody waits for a person any more.
    if (change.status === 'resolved' || change.status === 'bot') patch.waitingSince = null;
    await manager.update(Conversation, { id: conversation.id, tenantId: conversation.tenantId }, patch);
    return Object.assign(conversation, patch);
  }

  private async storeMessage(manager: EntityManager, caller: Principal, conversation: Conversation, text: string, isPrivate: boolean): Promise<Message> {
    const message = manager.create(Message, {
      id: newId(),
      tenantId: conversation.tenantId,
      conversationId: conversation.id,
      direction: 'out',
      authorKind: 'person',
      authorId: caller.kind === 'user' ? caller.id : null,
      connectorId: conversation.connectorId,
      parts: [{ type: 'text', text }],
      text,
      private: isPrivate,
      // A note is never handed to a connector; a reply waits for the connector to send it.
      deliveryState: isPrivate ? 'received' : 'pending',
      channelData: {},
      trace: null,
    });
    return manager.save(message);
  }
}
