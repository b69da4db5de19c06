import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { newId } from '@cs/contracts';
import { SuggestedArticle } from '@cs/persistence';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { decodeCursor, pageOf, type Page } from '../common/cursor';
import type { DraftFromGapBody, GapDetail, GapTrend, GapView, ListGapsQuery } from './dto/learning.dto';
import { ConsoleLearningEvents } from './learning-events.publisher';

interface GapRow {
  id: string;
  status: string;
  label: string;
  size: number;
  channels: Record<string, number>;
  closest_article_id: string | null;
  closest_article_title: string | null;
  closest_score: number | null;
  closed_by_article_id: string | null;
  first_seen_at: Date;
  last_seen_at: Date;
  last7: number;
  previous7: number;
  phrasings: { text: string; count: number }[] | null;
}

/** The columns of a gap as the console shows it: counts of the last two weeks and the top phrasings (grouped case- and space-insensitively). */
const GAP_SELECT = `
  SELECT g.id, g.status, g.label, g.size, g.channels, g.closest_article_id, g.closest_article_title, g.closest_score,
         g.closed_by_article_id, g.first_seen_at, g.last_seen_at,
         (SELECT count(*)::int FROM knowledge_gap_questions q WHERE q.gap_id = g.id AND q.created_at >= now() - interval '7 days') AS last7,
         (SELECT count(*)::int FROM knowledge_gap_questions q WHERE q.gap_id = g.id AND q.created_at >= now() - interval '14 days'
             AND q.created_at < now() - interval '7 days') AS previous7,
         (SELECT jsonb_agg(p) FROM (
            SELECT min(q.text) AS text, count(*)::int AS count FROM knowledge_gap_questions q WHERE q.gap_id = g.id
             GROUP BY lower(regexp_replace(trim(q.text), '\\s+', ' ', 'g')) ORDER BY count(*) DESC, max(q.similarity) DESC LIMIT $PHRASINGS) p) AS phrasings
    FROM knowledge_gaps g`;

/**
 * Knowledge gaps as staff see them (issue 18): the agent groups the questions it could not answer
 * (apps/agent/src/learning); here they are listed by size, shown with their phrasings, channels,
 * trend and the closest article, dismissed, or turned into a draft article for the review queue.
 */
@Injectable()
export class KnowledgeGapsService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly events: ConsoleLearningEvents,
  ) {}

  async list(tenantId: string, query: ListGapsQuery): Promise<Page<GapView>> {
    const params: unknown[] = [tenantId, query.status, query.limit + 1];
    let after = '';
    if (query.after) {
      const cursor = decodeCursor(query.after, ['size', 'id'] as const);
      params.push(Number(cursor.size), cursor.id);
      after = `AND (g.size, g.id) < ($4::int, $5::uuid)`;
    }
    const rows: GapRow[] = await this.db.query(
      `${GAP_SELECT.replace('$PHRASINGS', '3')} WHERE g.tenant_id = $1 AND g.status = $2 ${after} ORDER BY g.size DESC, g.id DESC LIMIT $3`,
      params,
    );
    return pageOf(rows, query.limit, viewOf, (row) => ({ size: String(row.size), id: row.id }));
  }

  async get(tenantId: string, id: string): Promise<GapDetail> {
    const [row] = (await this.db.query(`${GAP_SELECT.replace('$PHRASINGS', '10')} WHERE g.tenant_id = $1 AND g.id = $2`, [tenantId, id])) as GapRow[];
    if (!row) throw new NotFoundException('no such knowledge gap');
    const reasons: { reason: string; count: number }[] = await this.db.query(
      `SELECT reason, count(*)::int AS count FROM knowledge_gap_questions WHERE tenant_id = $1 AND gap_id = $2 GROUP BY reason`,
      [tenantId, id],
    );
    const questions: GapDetail['questions'] = await this.db.query(
      `SELECT conversation_id AS "conversationId", text, channel, reason, created_at AS at FROM knowledge_gap_questions
        WHERE tenant_id = $1 AND gap_id = $2 ORDER BY created_at DESC, id DESC LIMIT 20`,
      [tenantId, id],
    );
    const suggestions: GapDetail['suggestions'] = await this.db.query(
      `SELECT id, status, title FROM suggested_articles WHERE tenant_id = $1 AND gap_id = $2 ORDER BY id DESC LIMIT 20`,
      [tenantId, id],
    );
    return { ...viewOf(row), reasons: Object.fromEntries(reasons.map((r) => [r.reason, r.count])), questions, suggestions };
  }

  /** Hidden from the list; its questions keep being counted (and a later article can still close it). */
  async dismiss(caller: Principal, tenantId: string, id: string): Promise<GapView> {
    await this.db.transaction(async (manager) => {
      const [gap] = (await manager.query(`SELECT status FROM knowledge_gaps WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [tenantId, id])) as { status: string }[];
      if (!gap) throw new NotFoundException('no such knowledge gap');
      await manager.query(`UPDATE knowledge_gaps SET status = 'dismissed', dismissed_at = now(), updated_at = now() WHERE id = $1`, [id]);
      await this.audit.record(caller, 'knowledge_gap.dismiss', { type: 'knowledge_gap', id }, { from: gap.status }, manager);
    });
    const view = await this.get(tenantId, id);
    await this.events.publish('gap_dismissed', tenantId, { gapId: id, title: view.label, detail: { size: view.size } });
    return view;
  }

  /**
   * A draft article for the gap, into the review queue: titled by its most frequent phrasing, its
   * body what a person last answered one of its questions (from a reply suggestion), else a note
   * listing how customers asked, for the reviewer to answer. A gap gets one pending draft at a time.
   */
  async draft(caller: Principal, tenantId: string, id: string, body: DraftFromGapBody): Promise<SuggestedArticle> {
    const gap = await this.get(tenantId, id);
    const suggestion = await this.db.transaction(async (manager) => {
      await manager.query(`SELECT 1 FROM knowledge_gaps WHERE id = $1 FOR UPDATE`, [id]);
      const pending = await manager.findOne(SuggestedArticle, { where: { tenantId, gapId: id, status: 'pending' } });
      if (pending) throw new ConflictException(`this gap already has a draft waiting for review: ${pending.id}`);
      const [answered] = (await manager.query(
        `SELECT answer FROM suggested_articles WHERE tenant_id = $1 AND gap_id = $2 AND answer <> '' ORDER BY id DESC LIMIT 1`,
        [tenantId, id],
      )) as { answer: string }[];
      const title = body.title ?? gap.phrasings[0]?.text ?? gap.label;
      const draft = manager.create(SuggestedArticle, {
        id: newId(),
        tenantId,
        status: 'pending',
        source: 'gap',
        title: title.slice(0, 200),
        body: body.body ?? answered?.answer ?? questionsNote(gap),
        question: gap.label,
        answer: answered?.answer ?? '',
        redactions: [],
        mergeIntoArticleId: null,
        mergeScore: null,
        gapId: id,
        conversationId: null,
        replyMessageId: null,
      });
      await manager.save(draft);
      await this.audit.record(caller, 'knowledge_gap.draft', { type: 'knowledge_gap', id }, { suggestionId: draft.id }, manager);
      return draft;
    });
    await this.events.publish('article_suggested', tenantId, { suggestionId: suggestion.id, gapId: id, title: suggestion.title, detail: { source: 'gap' } });
    return suggestion;
  }
}

function viewOf(row: GapRow): GapView {
  return {
    id: row.id,
    status: row.status,
    label: row.label,
    size: row.size,
    trend: trendOf(row.last7, row.previous7, row.first_seen_at),
    phrasings: row.phrasings ?? [],
    channels: row.channels,
    closestArticle: row.closest_article_id ? { id: row.closest_article_id, title: row.closest_article_title ?? '', score: row.closest_score } : null,
    closedByArticleId: row.closed_by_article_id,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
  };
}

/** Rising or falling when a week differs from the one before by more than a quarter (and by more than one question). */
export function trendOf(last7: number, previous7: number, firstSeenAt: Date): GapTrend {
  const weekAgo = Date.now() - 7 * 86_400_000;
  let direction: GapTrend['direction'] = 'steady';
  if (new Date(firstSeenAt).getTime() >= weekAgo) direction = 'new';
  else if (last7 - previous7 > Math.max(1, previous7 / 4)) direction = 'rising';
  else if (previous7 - last7 > Math.max(1, previous7 / 4)) direction = 'falling';
  return { last7Days: last7, previous7Days: previous7, direction };
}

function questionsNote(gap: GapView): string {
  const asked = gap.phrasings.map((p) => `- ${p.text}`).join('\n');
  return `Customers asked (${gap.size} times):\n\n${asked}\n\nWrite the answer here before approving.`;
}
