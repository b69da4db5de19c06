import { createHash } from 'crypto';
import type { EntityManager } from 'typeorm';
import { newId } from '@cs/contracts';
import type { TrainingExampleSource } from './entities/retraining.entity';

/** One example in HELD_OUT_EVERY is held out from training, chosen by a hash of its message id: stable across retrainings and processes. */
export const HELD_OUT_EVERY = 3;

export function isHeldOut(messageId: string, every = HELD_OUT_EVERY): boolean {
  return createHash('sha256').update(messageId).digest().readUInt32BE(0) % every === 0;
}

/** A customer's question in a conversation and the intent the agent read it as. */
export interface ClassifiedQuestion {
  messageId: string;
  conversationId: string;
  text: string;
  /** The agent's intent for it (null when it never classified it). */
  intent: string | null;
}

/**
 * The customer questions of these conversations that the agent classified with its model (small talk
 * and "a person, please" matched by rule left out), in order. A conversation the agent never
 * classified (handed off by rule, or never answered) offers its first customer message instead.
 */
export async function classifiedQuestions(m: EntityManager, tenantId: string, conversationIds: string[]): Promise<ClassifiedQuestion[]> {
  if (!conversationIds.length) return [];
  return m.query(
    `WITH classified AS (
       SELECT DISTINCT ON (q.id) q.id AS "messageId", q.conversation_id AS "conversationId", q.text, r.trace->>'intent' AS intent
         FROM messages r JOIN messages q ON q.id = r.reply_to_message_id AND q.tenant_id = r.tenant_id
        WHERE r.tenant_id = $1 AND r.conversation_id = ANY($2::uuid[]) AND r.author_kind = 'bot' AND q.author_kind = 'contact'
          AND r.trace->>'rule' IS NULL AND r.trace->>'intentKind' IS DISTINCT FROM 'smalltalk' AND length(trim(q.text)) > 0
        ORDER BY q.id, r.id
     ), first_in AS (
       SELECT DISTINCT ON (m.conversation_id) m.id AS "messageId", m.conversation_id AS "conversationId", m.text, NULL::text AS intent
         FROM messages m
        WHERE m.tenant_id = $1 AND m.conversation_id = ANY($2::uuid[]) AND m.direction = 'in' AND m.author_kind = 'contact' AND length(trim(m.text)) > 0
          AND NOT EXISTS (SELECT 1 FROM classified c WHERE c."conversationId" = m.conversation_id)
        ORDER BY m.conversation_id, m.id
     )
     SELECT * FROM classified UNION ALL SELECT * FROM first_in ORDER BY "messageId"`,
    [tenantId, conversationIds],
  );
}

export interface TrainingExampleInput {
  question: ClassifiedQuestion;
  intent: string;
  source: TrainingExampleSource;
  labelledBy?: string | null;
}

/**
 * Stores examples, once per message: a relabel replaces what was there (a person's word over a
 * confirmation's), a confirmation never replaces anything. Returns how many were stored or changed.
 */
export async function storeTrainingExamples(m: EntityManager, tenantId: string, examples: TrainingExampleInput[]): Promise<number> {
  let stored = 0;
  for (const { question, intent, source, labelledBy } of examples) {
    const onConflict = source === 'relabel' ? `DO UPDATE SET intent = EXCLUDED.intent, source = 'relabel', labelled_by = EXCLUDED.labelled_by, created_at = now()` : 'DO NOTHING';
    const rows: unknown[] = await m.query(
      `INSERT INTO intent_training_examples (id, tenant_id, conversation_id, message_id, text, intent, previous_intent, source, held_out, labelled_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (tenant_id, message_id) ${onConflict} RETURNING id`,
      [newId(), tenantId, question.conversationId, question.messageId, question.text, intent, question.intent, source, isHeldOut(question.messageId), labelledBy ?? null],
    );
    stored += rows.length;
  }
  return stored;
}

/**
 * Queues a retraining of the tenant's intent model, unless one waits or runs already (then that one
 * is returned, `queued: false`). Safe from any process: a partial unique index allows one per tenant.
 */
export async function queueRetraining(m: EntityManager, tenantId: string, trigger: 'schedule' | 'manual', requestedBy: string | null = null): Promise<{ id: string; queued: boolean }> {
  const id = newId();
  const rows: { id: string }[] = await m.query(
    `INSERT INTO intent_model_versions (id, tenant_id, status, trigger, requested_by) VALUES ($1, $2, 'queued', $3, $4)
     ON CONFLICT (tenant_id) WHERE status IN ('queued', 'training') DO NOTHING RETURNING id`,
    [id, tenantId, trigger, requestedBy],
  );
  if (rows.length) return { id, queued: true };
  const [pending] = (await m.query(`SELECT id FROM intent_model_versions WHERE tenant_id = $1 AND status IN ('queued', 'training') LIMIT 1`, [tenantId])) as { id: string }[];
  // The one in the way finished meanwhile: queue again.
  return pending ? { id: pending.id, queued: false } : queueRetraining(m, tenantId, trigger, requestedBy);
}
