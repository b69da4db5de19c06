import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { GapReason } from '@cs/persistence';
import { KnowledgeGaps } from './knowledge-gaps.service';

interface AnsweredRow {
  question_id: string;
  conversation_id: string;
  text: string;
  channel: string;
  closest: { articleId?: string; title?: string; score?: number } | null;
  names: string[];
}

/** Hand-off reasons that say the knowledge base lacked the answer (not "a person, please" or an angry customer). */
const GAP_HANDOFFS = new Set(['no_confident_answer', 'failed_check']);

/**
 * Which questions count as unanswered (issue 18), read from what the pipeline stored: a reply that
 * handed off for want of a confident, checked answer; an answer the customer rated "No, this did
 * not help"; an answered conversation reopened (by staff, or by the customer within 72 h). Each goes to KnowledgeGaps with the article
 * retrieval came closest with (the first passage of the reply's trace).
 */
@Injectable()
export class UnansweredQuestions {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(KnowledgeGaps) private readonly gaps: KnowledgeGaps,
  ) {}

  /** The agent's reply `replyId` handed the conversation off; the question counts when the reason is a missing answer. */
  async handedOff(tenantId: string, replyId: string, reason: string | undefined): Promise<void> {
    if (!reason || !GAP_HANDOFFS.has(reason)) return;
    await this.recordReplyTo(tenantId, `r.id = $2`, [replyId], reason as GapReason);
  }

  /** The customer said the bot's answer `botMessageId` did not help. */
  async notHelpful(tenantId: string, botMessageId: string): Promise<void> {
    await this.recordReplyTo(tenantId, `r.id = $2 AND r.trace->'handoff' IS NULL`, [botMessageId], 'not_helpful');
  }

  /**
   * A conversation was reopened (by staff, or by the customer writing again soon after the resolution:
   * `beforeMessageId`, their new message): the bot's last answer before it (if it answered, rather
   * than handed off) had not settled it.
   */
  async reopened(tenantId: string, conversationId: string, beforeMessageId?: string): Promise<void> {
    await this.recordReplyTo(
      tenantId,
      `r.id = (SELECT id FROM messages WHERE tenant_id = $1 AND conversation_id = $2 AND author_kind = 'bot' AND ($3::uuid IS NULL OR created_at < (SELECT created_at FROM messages WHERE tenant_id = $1 AND id = $3::uuid)) ORDER BY id DESC LIMIT 1)
       AND r.trace->'handoff' IS NULL AND r.trace->>'decision' = 'answer' AND r.trace->>'generator' IS DISTINCT FROM 'action'`,
      [conversationId, beforeMessageId ?? null],
      'reopened',
    );
  }

  private async recordReplyTo(tenantId: string, where: string, params: unknown[], reason: GapReason): Promise<void> {
    const [row] = (await this.db.query(
      `SELECT q.id AS question_id, q.conversation_id, q.text, c.channel, r.trace->'passages'->0 AS closest,
              array_remove(ARRAY[ct.name] || ARRAY(SELECT i.display_name FROM contact_identities i WHERE i.tenant_id = c.tenant_id AND i.contact_id = c.contact_id), NULL) AS names
         FROM messages r
         JOIN messages q ON q.id = r.reply_to_message_id AND q.tenant_id = r.tenant_id
         JOIN conversations c ON c.id = q.conversation_id AND c.tenant_id = q.tenant_id
         LEFT JOIN contacts ct ON ct.id = c.contact_id AND ct.tenant_id = c.tenant_id
        WHERE r.tenant_id = $1 AND r.author_kind = 'bot' AND ${where}`,
      [tenantId, ...params],
    )) as AnsweredRow[];
    if (!row) return;
    const closest = row.closest?.articleId ? { articleId: row.closest.articleId, title: row.closest.title ?? '', score: Number(row.closest.score ?? 0) } : undefined;
    await this.gaps.record({ tenantId, conversationId: row.conversation_id, messageId: row.question_id, text: row.text, channel: row.channel, reason, closest, names: row.names });
  }
}
