import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { AuthorKind, MessagePart } from '@cs/contracts';

export type MessageDirection = 'in' | 'out';
export const DELIVERY_STATES = ['received', 'pending', 'sent', 'delivered', 'read', 'failed'] as const;
export type MessageDeliveryState = (typeof DELIVERY_STATES)[number];

/**
 * Ids are UUIDv7, so ordering by id is ordering by creation: the web chat resumes "after id X".
 * Uniqueness does the deduplication: one inbound row per vendor message id, one bot reply per
 * inbound message.
 */
@Entity('messages')
@Index(['tenantId', 'conversationId', 'id'])
@Index('uq_messages_inbound_external', ['tenantId', 'connectorId', 'externalMessageId'], {
  unique: true,
  where: `direction = 'in'`,
})
@Index('uq_messages_bot_reply', ['replyToMessageId'], { unique: true, where: `author_kind = 'bot'` })
@Index('idx_messages_tenant_external', ['tenantId', 'externalMessageId'], { where: `external_message_id IS NOT NULL` })
export class Message {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('uuid', { name: 'conversation_id' }) conversationId: string;
  @Column('text') direction: MessageDirection;
  @Column('text', { name: 'author_kind' }) authorKind: AuthorKind;
  @Column('uuid', { name: 'author_id', nullable: true }) authorId: string | null;
  @Column('text', { name: 'connector_id' }) connectorId: string;
  @Column('jsonb', { default: [] }) parts: MessagePart[];
  /** The plain text of the parts, for search and the console. */
  @Column('text', { default: '' }) text: string;
  @Column('text', { name: 'external_message_id', nullable: true }) externalMessageId: string | null;
  @Column('uuid', { name: 'reply_to_message_id', nullable: true }) replyToMessageId: string | null;
  @Column('boolean', { default: false }) private: boolean;
  @Column('text', { name: 'delivery_state', default: 'received' }) deliveryState: MessageDeliveryState;
  @Column('text', { name: 'error_code', nullable: true }) errorCode: string | null;
  @Column('text', { name: 'error_message', nullable: true }) errorMessage: string | null;
  @Column('jsonb', { name: 'channel_data', default: {} }) channelData: Record<string, unknown>;
  @Column('jsonb', { nullable: true }) trace: Record<string, unknown> | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
}

@Entity('attachments')
@Index(['tenantId', 'messageId'])
export class Attachment {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('uuid', { name: 'message_id', nullable: true }) messageId: string | null;
  @Column('text', { nullable: true }) name: string | null;
  @Column('text', { name: 'mime_type', nullable: true }) mimeType: string | null;
  @Column('integer', { default: 0 }) size: number;
  /** Only rows from before object storage, until they are moved (AttachmentStore.moveLegacyContent). */
  @Column('bytea', { nullable: true }) content: Buffer | null;
  /** The object that holds the bytes (libs/storage). */
  @Column('text', { name: 'storage_key', nullable: true }) storageKey: string | null;
  /** The type the bytes were recognised as (pictures, PDF), null when unknown: decides how a link serves it. */
  @Column('text', { name: 'detected_type', nullable: true }) detectedType: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
}
