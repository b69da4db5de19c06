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
  /** The team a hand-off went to (issue 17). */
  @Column('uuid', { name: 'team_id', nullable: true }) teamId: string | null;
  /** Since when the customer waits for a person: set at the hand-off, cleared by a person's reply, resolve or hand-back (the SLA clock). */
  @Column('timestamptz', { name: 'waiting_since', nullable: true }) waitingSince: Date | null;
  /** When the wait passed the tenant's `slaMinutes` (set once, by the SLA job). */
  @Column('timestamptz', { name: 'sla_breached_at', nullable: true }) slaBreachedAt: Date | null;
  /** Auto-closed after `autoCloseAfterHours` resolved and idle; a customer's new message opens it again. */
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt: Date;
}
