import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * One tenant's shop system the agent acts on (issue 15): a Shopify store, later an HTTP backend.
 * Like a channel account, `settings` holds the non-secret fields and `secrets` the secret ones
 * (an admin API token), encrypted (AES-256-GCM, libs/config SecretBox).
 */
@Entity('action_backends')
@Index('idx_action_backends_tenant', ['tenantId'])
export class ActionBackendAccount {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  /** Which plugin of apps/agent/src/actions/backends (`shopify`). */
  @Column('text', { name: 'backend_id' }) backendId: string;
  @Column('text') name: string;
  @Column('jsonb', { default: {} }) settings: Record<string, unknown>;
  @Column('text', { name: 'secrets_encrypted', nullable: true }) secretsEncrypted: string | null;
  /** `pending`: a Shopify OAuth install started and not yet approved (its secrets are the app's credentials and the state). */
  @Column('text', { default: 'active' }) status: 'active' | 'disabled' | 'pending';
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt: Date;
}

/**
 * An action in progress in one conversation (at most one): what it gathered so far, whether the
 * customer proved the order is theirs, and the step it waits on. Idle past `expiresAt`, it is gone.
 */
@Entity('action_flows')
@Index('uq_action_flows_conversation', ['conversationId'], { unique: true })
export class ActionFlow {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('uuid', { name: 'conversation_id' }) conversationId: string;
  /** The intent that started it (`order_status`, `cancel_order`). */
  @Column('text') action: string;
  /**
   * `gather` (slots, identity), `confirm` (waits on yes/no), `done` (kept so a repeated "yes" repeats the
   * outcome), `parked` (left after failed identity checks: keeps only the count until it expires).
   */
  @Column('text') step: string;
  @Column('jsonb', { default: {} }) slots: Record<string, string>;
  @Column('int', { name: 'identity_attempts', default: 0 }) identityAttempts: number;
  /** The key of the backend call this flow makes (or made); a repeated confirmation reuses it. */
  @Column('text', { name: 'idempotency_key', nullable: true }) idempotencyKey: string | null;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt: Date;
}

/**
 * Every mutating call to a backend, once per idempotency key (unique): the audit of what the agent
 * did, and what stops one confirmation from acting twice. `started` with no end means the outcome is
 * unknown (the process died mid-call): never retried blindly.
 */
@Entity('action_calls')
@Index('uq_action_calls_key', ['tenantId', 'idempotencyKey'], { unique: true })
@Index('idx_action_calls_conversation', ['conversationId'])
@Index('idx_action_calls_tenant_status', ['tenantId', 'status', 'createdAt'])
export class ActionCall {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('uuid', { name: 'conversation_id' }) conversationId: string;
  @Column('text', { name: 'backend_id' }) backendId: string;
  @Column('text') action: string;
  @Column('text', { name: 'idempotency_key' }) idempotencyKey: string;
  @Column('jsonb', { default: {} }) request: Record<string, unknown>;
  /**
   * `started`, `done` (the backend said so) or `failed`; for an action the tenant wants approved:
   * `awaiting_approval`, then `rejected` or (approved) `started` and its outcome, with who decided.
   */
  @Column('text') status: string;
  @Column('jsonb', { nullable: true }) result: Record<string, unknown> | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt: Date | null;
  /** The person (user id) who approved or rejected it; null for what the agent did alone. */
  @Column('uuid', { name: 'decided_by', nullable: true }) decidedBy: string | null;
  @Column('timestamptz', { name: 'decided_at', nullable: true }) decidedAt: Date | null;
  @Column('text', { name: 'decision_note', nullable: true }) decisionNote: string | null;
}
