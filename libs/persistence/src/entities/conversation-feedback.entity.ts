import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The customer's rating of a conversation (1 = very unhappy ... 5 = very happy); the latest one counts. */
@Entity('conversation_feedback')
@Check('CHK_conversation_feedback_rating', '"rating" BETWEEN 1 AND 5')
@Index('uq_conversation_feedback_conversation', ['conversationId'], { unique: true })
@Index('idx_conversation_feedback_tenant_rated', ['tenantId', 'ratedAt'])
export class ConversationFeedback {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('uuid', { name: 'conversation_id' }) conversationId: string;
  @Column('smallint') rating: number;
  @Column('timestamptz', { name: 'rated_at', default: () => 'now()' }) ratedAt: Date;
}
