import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { newId } from '@cs/contracts';
import type { CachedEmbeddingProvider } from '@cs/ai';
import { withAdvisoryLock, type GapReason } from '@cs/persistence';
import { EMBEDDINGS } from '../pipeline/ai/embeddings.provider';
import { redactPersonalData } from '../pipeline/check/personal-data';
import { LearningEvents } from './learning-events.publisher';
import { GAP_SIMILARITY, grow, nearestGap, parseRealArray } from './gap-clustering';

/** A customer message the agent could not answer, and what retrieval came closest with. */
export interface UnansweredQuestion {
  tenantId: string;
  conversationId: string;
  messageId: string;
  text: string;
  channel: string;
  reason: GapReason;
  closest?: { articleId: string; title: string; score: number };
  /** The customer's names, removed from what is stored with their personal data. */
  names?: string[];
}

interface GapRow {
  id: string;
  status: string;
  centroid: number[];
  closest_score: number | null;
}

/**
 * The tenant's gaps with their centroids, and nothing else: every unanswered question reads them
 * all, so the running sums are read only for the gap the question joins (see record).
 */
const GAPS_SQL = `SELECT id, status, centroid::text AS centroid, closest_score FROM knowledge_gaps WHERE tenant_id = $1 AND embedding_model = $2`;

async function readGaps(m: Pick<EntityManager, 'query'>, tenantId: string, model: string): Promise<GapRow[]> {
  const rows: (Omit<GapRow, 'centroid'> & { centroid: string })[] = await m.query(GAPS_SQL, [tenantId, model]);
  return rows.map((r) => ({ ...r, centroid: parseRealArray(r.centroid) }));
}

/** At most this much of a question is kept as a gap's label. */
const LABEL_MAX = 200;

/**
 * Knowledge gaps, grown as unanswered questions arrive (issue 18): a question joins the open,
 * closed or dismissed gap whose centroid is nearest, when it is GAP_SIMILARITY close, or opens a
 * new one. One question costs one embedding (usually a cache hit: the classifier embedded it) and
 * one transaction under the tenant's advisory lock, so that two agents never open twin gaps.
 * A closed gap (an article was published for it) that keeps receiving questions opens again.
 */
@Injectable()
export class KnowledgeGaps {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(EMBEDDINGS) private readonly embeddings: CachedEmbeddingProvider,
    @Inject(LearningEvents) private readonly events: LearningEvents,
  ) {}

  /** The gap the question went to; undefined when it was recorded before (a redelivery) or has no words. */
  async record(question: UnansweredQuestion): Promise<{ gapId: string; opened: boolean } | undefined> {
    const text = question.text.trim();
    if (!/[\p{L}\p{N}]/u.test(text)) return undefined;
    if (await this.known(this.db.manager, question)) return undefined;
    const [vector] = await this.embeddings.embed([text]);
    const result = await this.db.transaction(async (manager) => {
      await withAdvisoryLock(manager, `knowledge-gaps:${question.tenantId}`);
      if (await this.known(manager, question)) return undefined;
      const near = nearestGap(vector, await readGaps(manager, question.tenantId, this.embeddings.id));
      const gapId = near ? near.gap.id : newId();
      const [sum] = near ? ((await manager.query(`SELECT vector_sum::text AS sum FROM knowledge_gaps WHERE id = $1`, [gapId])) as { sum: string }[]) : [];
      const grown = grow(sum ? parseRealArray(sum.sum) : undefined, vector);
      const closest = question.closest;
      if (near) {
        await manager.query(
          `UPDATE knowledge_gaps SET centroid = $2, vector_sum = $3, size = size + 1, last_seen_at = now(), updated_at = now(),
                  channels = jsonb_set(channels, ARRAY[$4::text], to_jsonb(coalesce((channels->>$4)::int, 0) + 1)),
                  status = CASE WHEN status = 'closed' THEN 'open' ELSE status END,
                  closed_at = CASE WHEN status = 'closed' THEN NULL ELSE closed_at END,
                  closest_article_id = CASE WHEN $5::uuid IS NOT NULL AND $7::real >= coalesce(closest_score, -1) THEN $5::uuid ELSE closest_article_id END,
                  closest_article_title = CASE WHEN $5::uuid IS NOT NULL AND $7::real >= coalesce(closest_score, -1) THEN $6 ELSE closest_article_title END,
                  closest_score = CASE WHEN $5::uuid IS NOT NULL AND $7::real >= coalesce(closest_score, -1) THEN $7::real ELSE closest_score END
            WHERE id = $1`,
          [gapId, grown.centroid, grown.sum, question.channel, closest?.articleId ?? null, closest?.title ?? null, closest?.score ?? null],
        );
      } else {
        await manager.query(
          `INSERT INTO knowledge_gaps (id, tenant_id, label, embedding_model, centroid, vector_sum, size, channels, closest_article_id, closest_article_title, closest_score, first_seen_at, last_seen_at)
           VALUES ($1, $2, $3, $4, $5, $6, 1, jsonb_build_object($7::text, 1), $8, $9, $10, now(), now())`,
          [gapId, question.tenantId, labelOf(text, question.names), this.embeddings.id, grown.centroid, grown.sum, question.channel, closest?.articleId ?? null, closest?.title ?? null, closest?.score ?? null],
        );
      }
      await manager.query(
        `INSERT INTO knowledge_gap_questions (id, tenant_id, gap_id, message_id, conversation_id, text, channel, reason, similarity) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        // Stored without personal data: the phrasings are shown and put in draft articles.
        [newId(), question.tenantId, gapId, question.messageId, question.conversationId, redactPersonalData(text, question.names).text, question.channel, question.reason, near?.similarity ?? 1],
      );
      return { gapId, opened: !near, reopened: near?.gap.status === 'closed' };
    });
    if (result?.opened) {
      await this.events.publish('gap_opened', question.tenantId, { gapId: result.gapId, conversationId: question.conversationId, title: labelOf(text, question.names), detail: { reason: question.reason, channel: question.channel } });
    }
    return result && { gapId: result.gapId, opened: result.opened };
  }

  /** The gap a question went to, else the gap nearest to this text (a question recorded elsewhere, or not at all). */
  async gapOf(tenantId: string, messageId: string, text: string): Promise<string | undefined> {
    const [known] = (await this.db.query(`SELECT gap_id FROM knowledge_gap_questions WHERE tenant_id = $1 AND message_id = $2`, [tenantId, messageId])) as { gap_id: string }[];
    if (known) return known.gap_id;
    const [vector] = await this.embeddings.embed([text]);
    return nearestGap(vector, await readGaps(this.db, tenantId, this.embeddings.id), GAP_SIMILARITY)?.gap.id;
  }

  private async known(manager: EntityManager, question: UnansweredQuestion): Promise<boolean> {
    const rows: unknown[] = await manager.query(`SELECT 1 FROM knowledge_gap_questions WHERE tenant_id = $1 AND message_id = $2`, [question.tenantId, question.messageId]);
    return rows.length > 0;
  }
}

/** A question as a gap's name: its personal data removed, one line, not too long. */
function labelOf(text: string, names: string[] = []): string {
  const clean = redactPersonalData(text.replace(/\s+/g, ' ').trim(), names).text;
  return clean.length > LABEL_MAX ? `${clean.slice(0, LABEL_MAX - 1)}…` : clean;
}
