import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A console session's refresh token. Only its SHA-256 is stored; each use rotates it. */
@Entity('refresh_tokens')
@Index('uq_refresh_tokens_hash', ['tokenHash'], { unique: true })
@Index('idx_refresh_tokens_user', ['userId'])
export class RefreshToken {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'user_id' }) userId: string;
  @Column('uuid', { name: 'tenant_id', nullable: true }) tenantId: string | null;
  @Column('text', { name: 'token_hash' }) tokenHash: string;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt: Date;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt: Date | null;
  @Column('uuid', { name: 'replaced_by_id', nullable: true }) replacedById: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
}

/** One staff action (who, what, on which record), kept for the tenant's audit log. */
@Entity('audit_logs')
@Index('idx_audit_logs_tenant', ['tenantId', 'id'])
export class AuditLog {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id', nullable: true }) tenantId: string | null;
  /** `user` or `apiKey`. */
  @Column('text', { name: 'actor_kind' }) actorKind: string;
  @Column('uuid', { name: 'actor_id', nullable: true }) actorId: string | null;
  @Column('text') action: string;
  @Column('text', { name: 'target_type', nullable: true }) targetType: string | null;
  @Column('text', { name: 'target_id', nullable: true }) targetId: string | null;
  @Column('jsonb', { default: {} }) detail: Record<string, unknown>;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
}

/** A tenant's HTTP endpoint for conversation events. The signing secret is sealed with SECRET_KEY. */
@Entity('webhook_subscriptions')
@Index('idx_webhook_subscriptions_tenant', ['tenantId'])
export class WebhookSubscription {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('text') url: string;
  /** Event names (`handoff`, `resolved`...); empty means every event. */
  @Column('text', { array: true, default: '{}' }) events: string[];
  @Column('text', { name: 'secret_encrypted' }) secretEncrypted: string;
  @Column('boolean', { default: true }) active: boolean;
  @Column('timestamptz', { name: 'last_delivery_at', nullable: true }) lastDeliveryAt: Date | null;
  @Column('text', { name: 'last_status', nullable: true }) lastStatus: string | null;
  @Column('text', { name: 'last_error', nullable: true }) lastError: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
}

export interface KnowledgeImportError {
  /** Empty when the error is about the whole import (it was interrupted), not one file. */
  file: string;
  message: string;
}

/** A bulk import of knowledge files and how far it got. */
@Entity('knowledge_imports')
@Index('idx_knowledge_imports_tenant', ['tenantId', 'id'])
export class KnowledgeImport {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  /** `running`, `done` (some articles may have failed: see `errors`) or `failed` (nothing imported). */
  @Column('text', { default: 'running' }) status: string;
  @Column('integer', { default: 0 }) total: number;
  @Column('integer', { default: 0 }) processed: number;
  @Column('integer', { default: 0 }) created: number;
  @Column('integer', { default: 0 }) updated: number;
  @Column('integer', { default: 0 }) unchanged: number;
  @Column('integer', { default: 0 }) failed: number;
  @Column('jsonb', { default: [] }) errors: KnowledgeImportError[];
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
  /** The heartbeat: bumped by every progress write, so a running import that stopped moving is known to be dead. */
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt: Date;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt: Date | null;
}
