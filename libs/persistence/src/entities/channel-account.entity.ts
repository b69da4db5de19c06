import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const CHANNEL_ACCOUNT_STATUSES = ['active', 'failed', 'disabled'] as const;
export type ChannelAccountStatus = (typeof CHANNEL_ACCOUNT_STATUSES)[number];

/**
 * One tenant's account on one connector: a mailbox, a Twilio number, a Slack install, a widget.
 * `settings` holds the non-secret fields; `secrets` the secret ones, encrypted (AES-256-GCM).
 */
@Entity('channel_accounts')
@Index(['tenantId', 'connectorId'])
export class ChannelAccount {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('text', { name: 'connector_id' }) connectorId: string;
  @Column('text') name: string;
  @Column('jsonb', { default: {} }) settings: Record<string, unknown>;
  @Column('text', { name: 'secrets_encrypted', nullable: true }) secretsEncrypted: string | null;
  /** A public lookup key (a widget key, a Slack team id, an email address) unique per connector. */
  @Column('text', { name: 'public_key', nullable: true }) publicKey: string | null;
  @Column('text', { default: 'active' }) status: ChannelAccountStatus;
  @Column('text', { name: 'status_reason', nullable: true }) statusReason: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt: Date;
}
