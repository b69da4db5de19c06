import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A bus message a consumer gave up on (published to `dlq.<subject>`), kept with why, so the console
 * and the CLI can list it and replay it once the cause is fixed. Written by the gateway's
 * dead-letter recorder; `tenant_id` is null when the message had no readable tenant.
 */
@Entity('dead_letters')
@Index('idx_dead_letters_tenant', ['tenantId', 'deadLetteredAt'])
@Index('uq_dead_letters_source', ['sourceKey'], { unique: true })
export class DeadLetter {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'PK_dead_letters' }) id: string;
  @Column('uuid', { name: 'tenant_id', nullable: true }) tenantId: string | null;
  /** The durable consumer that gave up, e.g. `agent`. */
  @Column('text') consumer: string;
  /** The subject it had, relative to the bus prefix (`msg.in.api.<tenant>`): a replay publishes there. */
  @Column('text', { name: 'original_subject' }) originalSubject: string;
  @Column('text') reason: string;
  /** `content`, `permanent`, `transient-limit` or `malformed`. */
  @Column('text') kind: string;
  @Column('integer', { name: 'delivery_count' }) deliveryCount: number;
  /** The envelope exactly as it was published. */
  @Column('jsonb') envelope: Record<string, unknown>;
  @Column('timestamptz', { name: 'dead_lettered_at' }) deadLetteredAt: Date;
  /** consumer + envelope id + time: recording the same dead letter twice keeps one row. */
  @Column('text', { name: 'source_key' }) sourceKey: string;
  @Column('timestamptz', { name: 'replayed_at', nullable: true }) replayedAt: Date | null;
  @Column('integer', { name: 'replay_count', default: 0 }) replayCount: number;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
}
