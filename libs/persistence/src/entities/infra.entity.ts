import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Where a polling connector is in its source (IMAP UID and UIDVALIDITY, a Slack cursor...). */
@Entity('connector_cursors')
export class ConnectorCursor {
  @PrimaryColumn('uuid', { name: 'channel_account_id' }) channelAccountId: string;
  @PrimaryColumn('text') key: string;
  @Column('jsonb') value: Record<string, unknown>;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt: Date;
}

/** A side effect done once: a send to a vendor, a webhook event already processed. */
@Entity('idempotency_keys')
export class IdempotencyKey {
  @PrimaryColumn('text') key: string;
  @Column('uuid', { name: 'tenant_id', nullable: true }) tenantId: string | null;
  @Column('jsonb', { nullable: true }) result: Record<string, unknown> | null;
  @UpdateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
}

/**
 * Mails from one address handed on by one mailbox in its current hour: the email connector's
 * per-sender cap, in the database so every connectors process and a restart see the same count.
 */
@Entity('email_sender_counts')
export class EmailSenderCount {
  @PrimaryColumn('uuid', { name: 'channel_account_id', primaryKeyConstraintName: 'PK_email_sender_counts' }) channelAccountId: string;
  @PrimaryColumn('text', { primaryKeyConstraintName: 'PK_email_sender_counts' }) address: string;
  @Column('timestamptz', { name: 'window_start' }) windowStart: Date;
  @Column('integer') mails: number;
}
