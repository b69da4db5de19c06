import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const CONVERSATION_STATUSES = ['bot', 'waiting', 'assigned', 'resolved'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

@Entity('conversations')
@Index(['tenantId', 'status', 'lastMessageAt'])
@Index(['tenantId', 'contactId', 'channel'])
export class Conversation {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('uuid', { name: 'contact_id' }) contactId: string;
  @Column('text') channel: string;
  @Column('text', { name: 'connector_id' }) connectorId: string;
  @Column('uuid', { name: 'channel_account_id', nullable: true }) channelAccountId: string | null;
  /** The channel's thread key: a widget session, an email thread root, a Slack thread_ts. */
  @Column('text', { name: 'external_thread_id', nullable: true }) externalThreadId: string | null;
  @Column('text', { default: 'bot' }) status: ConversationStatus;
  @Column('uuid', { name: 'assignee_id', nullable: true }) assigneeId: string | null;
  @Column('text', { nullable: true }) subject: string | null;
  @Column('text', { nullable: true }) intent: string | null;
  @Column('text', { nullable: true }) summary: string | null;
  /** The staff's labels (lowercase), filtered on in the inbox. */
  @Column('text', { array: true, default: '{}' }) labels: string[];
  @Column('jsonb', { name: 'channel_data', default: {} }) channelData: Record<string, unknown>;
  @Column('timestamptz', { name: 'last_message_at', nullable: true }) lastMessageAt: Date | null;
  @Column('timestamptz', { name: 'resolved_at', nullable: true }) resolvedAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt: Date;
}
