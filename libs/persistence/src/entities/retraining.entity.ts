import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** Where a training example came from: a person relabelled the conversation, or the customer confirmed the answer. */
export type TrainingExampleSource = 'relabel' | 'confirmed';

/**
 * One customer message with the intent it should have been given (issue 18): from a conversation
 * staff relabelled in the inbox, or from one the customer confirmed solved ("This solved it") with
 * the intent the agent had read. A message counts once; a relabel overrides what a confirmation
 * said. `heldOut`: fixed when the example is stored (a hash of the message id), so the slice a new
 * model is judged on never trains any model.
 */
@Entity('intent_training_examples')
@Index('uq_intent_training_examples_message', ['tenantId', 'messageId'], { unique: true })
@Index('idx_intent_training_examples_tenant', ['tenantId', 'createdAt'])
export class IntentTrainingExample {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('uuid', { name: 'conversation_id' }) conversationId: string;
  @Column('uuid', { name: 'message_id' }) messageId: string;
  @Column('text') text: string;
  @Column('text') intent: string;
  /** What the agent had read the message as (null when it never classified it). */
  @Column('text', { name: 'previous_intent', nullable: true }) previousIntent: string | null;
  @Column('text') source: TrainingExampleSource;
  @Column('boolean', { name: 'held_out' }) heldOut: boolean;
  /** The person who relabelled (null for a confirmation). */
  @Column('uuid', { name: 'labelled_by', nullable: true }) labelledBy: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
}

export type IntentModelVersionStatus = 'queued' | 'training' | 'promoted' | 'rejected' | 'failed';

/**
 * One retraining of a tenant's intent model (issue 18): queued by the schedule or by staff, trained
 * by one agent process (claimed with SKIP LOCKED), judged against the model in use on the held-out
 * examples, promoted only when it is no worse. The promoted version's `examples` are what every
 * agent process adds to the tenant's intents (`tenants.settings.intentModel` names it).
 */
@Entity('intent_model_versions')
@Index('idx_intent_model_versions_tenant', ['tenantId', 'id'])
export class IntentModelVersion {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('text') status: IntentModelVersionStatus;
  @Column('text') trigger: 'schedule' | 'manual';
  /** The learned examples it was trained on (the held-out ones never are). */
  @Column('jsonb', { default: [] }) examples: { text: string; intent: string }[];
  @Column('integer', { name: 'training_examples', default: 0 }) trainingExamples: number;
  @Column('integer', { name: 'held_out_examples', default: 0 }) heldOutExamples: number;
  /** Accuracy on the held-out examples: the model in use then, and this one. */
  @Column('real', { name: 'previous_accuracy', nullable: true }) previousAccuracy: number | null;
  @Column('real', { name: 'new_accuracy', nullable: true }) newAccuracy: number | null;
  /** The model it was judged against (null: the tenant's intents alone, before any retraining). */
  @Column('uuid', { name: 'previous_version_id', nullable: true }) previousVersionId: string | null;
  /** The intent model's cache key (a hash of every example it was trained on). */
  @Column('text', { name: 'model_key', nullable: true }) modelKey: string | null;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('uuid', { name: 'requested_by', nullable: true }) requestedBy: string | null;
  @Column('timestamptz', { name: 'started_at', nullable: true }) startedAt: Date | null;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
}

/**
 * A resolved conversation that came back (issue 18): `customer` when the customer wrote in it again
 * within REOPEN_WINDOW_HOURS of its resolution (the agent records it with the message), `staff` when
 * someone reopened it in the console. Counted as reopens in analytics, experiments and gaps.
 */
@Entity('conversation_reopens')
@Index('idx_conversation_reopens_conversation', ['tenantId', 'conversationId'])
export class ConversationReopen {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('uuid', { name: 'conversation_id' }) conversationId: string;
  @Column('text') by: 'customer' | 'staff';
  /** The customer's message that reopened it (null for staff). */
  @Column('uuid', { name: 'message_id', nullable: true }) messageId: string | null;
  @Column('timestamptz', { name: 'resolved_at', nullable: true }) resolvedAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
}
