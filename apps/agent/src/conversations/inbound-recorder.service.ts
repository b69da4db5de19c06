import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { newId, textOf, type Envelope, type InboundMessage } from '@cs/contracts';
import {
  ContactResolver,
  ConversationResolver,
  withAdvisoryLock,
  type ConversationStatus,
  type Message,
  type TenantSettings,
} from '@cs/persistence';
import { conversationKey } from '../inbound/conversation-key';

export interface RecordedInbound {
  tenantName: string;
  settings: TenantSettings;
  conversationId: string;
  conversationStatus: ConversationStatus;
  inboundMessageId: string;
  /** False when this is a redelivery of a message already stored. */
  isNew: boolean;
  /** The bot's reply, when a previous delivery got as far as storing it. */
  existingReply: Message | null;
}

/**
 * Transaction 1 of a turn: under the conversation's advisory lock, find or create the contact and
 * the conversation and store the inbound message once (its vendor id is unique). A redelivered
 * message finds its row, and the reply if one was already stored.
 */
@Injectable()
export class InboundRecorder {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ContactResolver) private readonly contacts: ContactResolver,
    @Inject(ConversationResolver) private readonly conversations: ConversationResolver,
  ) {}

  /** Null when the tenant does not exist (nothing to store it under). */
  record(envelope: Envelope<InboundMessage>, inbound: InboundMessage): Promise<RecordedInbound | null> {
    const tenantId = envelope.tenantId;
    return this.dataSource.transaction(async (m) => {
      await withAdvisoryLock(m, conversationKey(envelope) ?? `${tenantId}:${inbound.externalMessageId}`);
      const tenants: { name: string; settings: TenantSettings }[] = await m.query('SELECT name, settings FROM tenants WHERE id = $1', [tenantId]);
      if (!tenants[0]) return null;
      const base = { tenantName: tenants[0].name, settings: tenants[0].settings ?? {} };

      const stored = await findInbound(m, tenantId, inbound);
      if (stored) {
        const status = await conversationStatus(m, stored.conversation_id);
        const replies = await m.query(`SELECT * FROM messages WHERE reply_to_message_id = $1 AND author_kind = 'bot'`, [stored.id]);
        const existingReply = replies[0] ? toMessage(replies[0]) : null;
        return { ...base, conversationId: stored.conversation_id, conversationStatus: status, inboundMessageId: stored.id, isNew: false, existingReply };
      }

      const contact = await this.contacts.resolve(m, {
        tenantId,
        channel: inbound.channel,
        externalUserId: inbound.sender.externalUserId,
        address: inbound.sender.address,
        displayName: inbound.sender.displayName,
      });
      const subject = typeof inbound.channelData.subject === 'string' ? inbound.channelData.subject : null;
      const { conversation } = await this.conversations.resolve(m, {
        tenantId,
        contactId: contact.contactId,
        channel: inbound.channel,
        connectorId: inbound.connectorId,
        channelAccountId: isUuid(inbound.channelAccountId) ? inbound.channelAccountId : null,
        externalThreadId: inbound.externalThreadId ?? null,
        conversationId: envelope.conversationId,
        subject,
      });
      const id = newId();
      await m.query(
        `INSERT INTO messages (id, tenant_id, conversation_id, direction, author_kind, connector_id, parts, text, external_message_id, delivery_state, channel_data)
         VALUES ($1, $2, $3, 'in', 'contact', $4, $5, $6, $7, 'received', $8)
         ON CONFLICT (tenant_id, connector_id, external_message_id) WHERE direction = 'in' DO NOTHING`,
        [id, tenantId, conversation.id, inbound.connectorId, JSON.stringify(inbound.parts), textOf(inbound.parts), inbound.externalMessageId, JSON.stringify(inbound.channelData)],
      );
      // The latest channel data (say, the widget's client id) is what replies are addressed with.
      await m.query(
        `UPDATE conversations SET last_message_at = now(), updated_at = now(), channel_data = channel_data || $2::jsonb WHERE id = $1`,
        [conversation.id, JSON.stringify(inbound.channelData)],
      );
      return { ...base, conversationId: conversation.id, conversationStatus: conversation.status, inboundMessageId: id, isNew: true, existingReply: null };
    });
  }
}

async function findInbound(m: EntityManager, tenantId: string, inbound: InboundMessage): Promise<{ id: string; conversation_id: string } | undefined> {
  const rows: { id: string; conversation_id: string }[] = await m.query(
    `SELECT id, conversation_id FROM messages WHERE tenant_id = $1 AND connector_id = $2 AND external_message_id = $3 AND direction = 'in'`,
    [tenantId, inbound.connectorId, inbound.externalMessageId],
  );
  return rows[0];
}

async function conversationStatus(m: EntityManager, id: string): Promise<ConversationStatus> {
  const rows: { status: ConversationStatus }[] = await m.query('SELECT status FROM conversations WHERE id = $1', [id]);
  return rows[0]?.status ?? 'bot';
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

/** A raw `messages` row as the entity shape (raw SQL keeps the ON CONFLICT clauses explicit). */
export function toMessage(row: Record<string, unknown>): Message {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    conversationId: row.conversation_id,
    direction: row.direction,
    authorKind: row.author_kind,
    authorId: row.author_id ?? null,
    connectorId: row.connector_id,
    parts: row.parts,
    text: row.text,
    externalMessageId: row.external_message_id ?? null,
    replyToMessageId: row.reply_to_message_id ?? null,
    private: row.private,
    deliveryState: row.delivery_state,
    errorCode: row.error_code ?? null,
    errorMessage: row.error_message ?? null,
    channelData: row.channel_data,
    trace: row.trace ?? null,
    createdAt: row.created_at,
  } as Message;
}
