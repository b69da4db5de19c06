import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type KnowledgeGapStatus = 'open' | 'dismissed' | 'closed';

/**
 * A group of questions the agent could not answer that mean the same thing (issue 18). It grows one
 * question at a time: `vectorSum` is the sum of its questions' unit vectors and `centroid` that sum
 * normalized, so adding a question never needs the others again.
 */
@Entity('knowledge_gaps')
@Index('idx_knowledge_gaps_tenant_status', ['tenantId', 'status', 'size'])
export class KnowledgeGap {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  /** `open`; `dismissed` by staff (its questions are still counted, it is not shown); `closed` by a published article. */
  @Column('text', { default: 'open' }) status: KnowledgeGapStatus;
  /** The question that opened it: what the console shows until someone names it better. */
  @Column('text') label: string;
  @Column('text', { name: 'embedding_model' }) embeddingModel: string;
  @Column('real', { array: true }) centroid: number[];
  @Column('real', { name: 'vector_sum', array: true }) vectorSum: number[];
  @Column('integer', { default: 0 }) size: number;
  /** Questions per channel. */
  @Column('jsonb', { default: {} }) channels: Record<string, number>;
  /** The article retrieval came closest with (under the threshold, or the one whose answer did not help). */
  @Column('uuid', { name: 'closest_article_id', nullable: true }) closestArticleId: string | null;
  @Column('text', { name: 'closest_article_title', nullable: true }) closestArticleTitle: string | null;
  @Column('real', { name: 'closest_score', nullable: true }) closestScore: number | null;
  @Column('uuid', { name: 'closed_by_article_id', nullable: true }) closedByArticleId: string | null;
  @Column('timestamptz', { name: 'first_seen_at' }) firstSeenAt: Date;
  @Column('timestamptz', { name: 'last_seen_at' }) lastSeenAt: Date;
  @Column('timestamptz', { name: 'dismissed_at', nullable: true }) dismissedAt: Date | null;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt: Date;
}

/** Why a question counts as unanswered. */
export type GapReason = 'no_confident_answer' | 'failed_check' | 'not_helpful' | 'reopened';

/** One unanswered customer message in a gap; a message counts once. */
@Entity('knowledge_gap_questions')
@Index('uq_knowledge_gap_questions_message', ['tenantId', 'messageId'], { unique: true })
@Index('idx_knowledge_gap_questions_gap', ['gapId', 'createdAt'])
export class KnowledgeGapQuestion {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('uuid', { name: 'gap_id' }) gapId: string;
  @Column('uuid', { name: 'message_id' }) messageId: string;
  @Column('uuid', { name: 'conversation_id' }) conversationId: string;
  @Column('text') text: string;
  @Column('text') channel: string;
  @Column('text') reason: GapReason;
  /** Cosine to the gap's centroid when it joined. */
  @Column('real') similarity: number;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
}

export type SuggestionStatus = 'pending' | 'approved' | 'rejected';

/**
 * A draft article in the review queue: from a person's reply to a handed-off question (`reply`), or
 * from a gap a manager turned into a draft (`gap`). `mergeIntoArticleId`: an existing article close
 * enough that approving adds this to it rather than creating a new one.
 */
@Entity('suggested_articles')
@Index('idx_suggested_articles_tenant_status', ['tenantId', 'status', 'id'])
export class SuggestedArticle {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('text', { default: 'pending' }) status: SuggestionStatus;
  @Column('text') source: 'reply' | 'gap';
  @Column('text') title: string;
  @Column('text') body: string;
  /** The customer's question and the person's reply, personal data removed. */
  @Column('text', { default: '' }) question: string;
  @Column('text', { default: '' }) answer: string;
  /** What was removed, by kind (`email`, `phone`, `order_number`, `name`), never the values. */
  @Column('jsonb', { default: [] }) redactions: string[];
  @Column('uuid', { name: 'merge_into_article_id', nullable: true }) mergeIntoArticleId: string | null;
  @Column('real', { name: 'merge_score', nullable: true }) mergeScore: number | null;
  @Column('uuid', { name: 'gap_id', nullable: true }) gapId: string | null;
  @Column('uuid', { name: 'conversation_id', nullable: true }) conversationId: string | null;
  @Column('uuid', { name: 'reply_message_id', nullable: true }) replyMessageId: string | null;
  @Column('uuid', { name: 'published_article_id', nullable: true }) publishedArticleId: string | null;
  @Column('uuid', { name: 'reviewed_by', nullable: true }) reviewedBy: string | null;
  @Column('timestamptz', { name: 'reviewed_at', nullable: true }) reviewedAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt: Date;
}

/** What an experiment may vary: reply settings only; the grounding, personal-data and identity checks run in every arm. */
export const EXPERIMENT_SETTINGS = ['handoffMessage', 'confidenceThreshold', 'llmProvider', 'brandVoice'] as const;
export type ExperimentSetting = (typeof EXPERIMENT_SETTINGS)[number];

export interface ExperimentArm {
  name: string;
  /** Share of new conversations, relative to the other arms' weights. */
  weight: number;
  /** The setting's value in this arm; null leaves the tenant's own setting (the control). */
  value: string | number | null;
}

/** While running, also in `tenants.settings.experiment`, which the agent reads with the tenant's settings on every message. */
export interface RunningExperiment {
  id: string;
  setting: ExperimentSetting;
  arms: ExperimentArm[];
}

/** An A/B test of one reply setting (issue 18): arms with a traffic split, assigned per conversation. */
@Entity('experiments')
@Index('idx_experiments_tenant', ['tenantId', 'id'])
export class Experiment {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('text') name: string;
  @Column('text') setting: ExperimentSetting;
  @Column('jsonb') arms: ExperimentArm[];
  @Column('text', { default: 'running' }) status: 'running' | 'stopped';
  @Column('text', { nullable: true }) winner: string | null;
  /** Whether the winner's value became the tenant's setting when it stopped. */
  @Column('boolean', { default: false }) promoted: boolean;
  @Column('timestamptz', { name: 'started_at' }) startedAt: Date;
  @Column('timestamptz', { name: 'stopped_at', nullable: true }) stoppedAt: Date | null;
}
