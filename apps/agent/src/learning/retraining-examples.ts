import type { DataSource } from 'typeorm';
import { OUTCOME_COLUMNS, OUTCOME_FILTERS, classifiedQuestions, queueRetraining, storeTrainingExamples } from '@cs/persistence';

/**
 * Conversations the customer confirmed solved (analytics' definition, @cs/persistence
 * conversation-outcome.ts) become training examples: each question the agent classified, with the
 * intent it read (one of `known`), unless the message is an example already (a relabel wins).
 */
export async function collectConfirmedExamples(db: DataSource, tenantId: string, known: Set<string>): Promise<number> {
  const confirmed = (await db.query(
    `WITH conv AS (SELECT c.id, ${OUTCOME_COLUMNS} FROM conversations c WHERE c.tenant_id = $1
                     AND NOT EXISTS (SELECT 1 FROM intent_training_examples e WHERE e.tenant_id = c.tenant_id AND e.conversation_id = c.id))
     SELECT id FROM conv WHERE ${OUTCOME_FILTERS.confirmed}`,
    [tenantId],
  )) as { id: string }[];
  const questions = await classifiedQuestions(db.manager, tenantId, confirmed.map((c) => c.id));
  const examples = questions.filter((q) => q.intent && known.has(q.intent)).map((question) => ({ question, intent: question.intent as string, source: 'confirmed' as const }));
  return storeTrainingExamples(db.manager, tenantId, examples);
}

/**
 * The schedule: queues a retraining for each tenant with an example, or a customer-confirmed
 * resolution, newer than its last retraining (none: any). Returns what it queued.
 */
export async function tenantsToRetrain(db: DataSource): Promise<{ id: string; tenantId: string }[]> {
  const tenants = (await db.query(
    `SELECT t.id FROM tenants t
       LEFT JOIN LATERAL (SELECT max(created_at) AS at FROM intent_model_versions v WHERE v.tenant_id = t.id) last ON true
      WHERE EXISTS (SELECT 1 FROM intent_training_examples e WHERE e.tenant_id = t.id AND (last.at IS NULL OR e.created_at > last.at))
         OR EXISTS (SELECT 1 FROM messages m WHERE m.tenant_id = t.id AND m.direction = 'in' AND m.author_kind = 'contact'
                     AND m.channel_data->>'action' = 'resolved' AND (last.at IS NULL OR m.created_at > last.at))`,
  )) as { id: string }[];
  const queued: { id: string; tenantId: string }[] = [];
  for (const { id: tenantId } of tenants) {
    const result = await queueRetraining(db.manager, tenantId, 'schedule');
    if (result.queued) queued.push({ id: result.id, tenantId });
  }
  return queued;
}
