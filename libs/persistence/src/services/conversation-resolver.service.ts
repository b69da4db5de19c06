import type { EntityManager } from 'typeorm';
import { newId } from '@cs/contracts';
import { Conversation } from '../entities';

export interface ConversationKey {
  tenantId: string;
  contactId: string;
  channel: string;
  connectorId: string;
  channelAccountId: string | null;
  externalThreadId?: string | null;
  /** Set by connectors that assign conversation ids themselves (the API channel). */
  conversationId?: string;
  subject?: string | null;
}

export interface ResolvedConversation {
  conversation: Conversation;
  created: boolean;
  /** It was resolved and this message reopened it to the bot. */
  reopened: boolean;
  /** When it had been resolved, if this message reopened it. */
  previousResolvedAt?: Date | null;
}

/**
 * Which conversation an inbound message belongs to. Callers hold an advisory lock on the
 * conversation key (tenant, channel, thread or sender) so two first messages cannot both create one.
 */
export class ConversationResolver {
  async resolve(manager: EntityManager, key: ConversationKey): Promise<ResolvedConversation> {
    const repo = manager.getRepository(Conversation);
    if (key.conversationId) {
      const existing = await repo.findOne({ where: { id: key.conversationId, tenantId: key.tenantId } });
      if (existing) return this.reopenIfResolved(manager, existing);
      // The id was pre-assigned for a new conversation: create it with exactly that id.
      const row = await this.create(manager, key, key.conversationId);
      if (!row) throw new Error(`conversation ${key.conversationId} belongs to another tenant`);
      return { conversation: row, created: true, reopened: false };
    }

    const existing = await this.findLatest(manager, key);
    if (existing) return this.reopenIfResolved(manager, existing);
    const conversation = await this.create(manager, key, newId());
    if (!conversation) throw new Error('conversation insert returned nothing');
    return { conversation, created: true, reopened: false };
  }

  private async create(manager: EntityManager, key: ConversationKey, id: string): Promise<Conversation | null> {
    await manager.query(
      `INSERT INTO conversations (id, tenant_id, contact_id, channel, connector_id, channel_account_id, external_thread_id, subject)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
      [id, key.tenantId, key.contactId, key.channel, key.connectorId, key.channelAccountId, key.externalThreadId ?? null, key.subject ?? null],
    );
    return manager.getRepository(Conversation).findOne({ where: { id, tenantId: key.tenantId } });
  }

  /**
   * A thread (email thread, Slack thread, widget session) keeps its conversation even once
   * resolved: a new message there reopens it. Without a thread, the contact's open conversation
   * on the channel continues, and after a resolution a new one starts.
   */
  private async findLatest(manager: EntityManager, key: ConversationKey): Promise<Conversation | null> {
    const qb = manager
      .getRepository(Conversation)
      .createQueryBuilder('c')
      .where('c.tenant_id = :tenantId AND c.contact_id = :contactId AND c.channel = :channel', key)
      .orderBy('c.created_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(1);
    if (key.externalThreadId) qb.andWhere('c.external_thread_id = :thread', { thread: key.externalThreadId });
    else qb.andWhere(`c.status <> 'resolved'`);
    return qb.getOne();
  }

  private async reopenIfResolved(manager: EntityManager, conversation: Conversation): Promise<ResolvedConversation> {
    if (conversation.status !== 'resolved') return { conversation, created: false, reopened: false };
    await manager.getRepository(Conversation).update(
      { id: conversation.id, tenantId: conversation.tenantId },
      { status: 'bot', resolvedAt: null, assigneeId: null },
    );
    return { conversation: { ...conversation, status: 'bot', resolvedAt: null, assigneeId: null }, created: false, reopened: true, previousResolvedAt: conversation.resolvedAt };
  }
}
