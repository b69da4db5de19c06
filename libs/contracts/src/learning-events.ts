import { z } from 'zod';

/**
 * The learning loop's durable events (issue 18), `learn.<event>.<tenantId>` in stream CS_EVENTS:
 * outbound webhooks deliver them as `knowledge.<event>`. A gap is opened by the agent when a question
 * it could not answer matches none; a suggestion is made by the agent from a person's reply; the rest
 * are staff decisions in the console. A retraining is
 * requested by staff or the schedule and judged (promoted or rejected) by the agent.
 */
export const LEARNING_EVENTS = [
  'gap_opened',
  'gap_dismissed',
  'gap_closed',
  'article_suggested',
  'suggestion_rejected',
  'article_published',
  'experiment_started',
  'experiment_stopped',
  'intent_relabelled',
  'retraining_requested',
  'model_promoted',
  'model_rejected',
] as const;
export type LearningEventName = (typeof LEARNING_EVENTS)[number];

export const learningEventSchema = z.object({
  gapId: z.string().optional(),
  suggestionId: z.string().optional(),
  articleId: z.string().optional(),
  experimentId: z.string().optional(),
  /** A retraining of the tenant's intent model (`intent_model_versions`). */
  modelVersionId: z.string().optional(),
  conversationId: z.string().optional(),
  /** A short human description (the gap's label, the suggestion's title); never a customer's personal data. */
  title: z.string().optional(),
  detail: z.record(z.string(), z.unknown()).default({}),
});
export type LearningEvent = z.infer<typeof learningEventSchema>;

export const LEARNING_EVENT_TYPE = 'learning.event';
