import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { newId } from '@cs/contracts';
import type { CachedEmbeddingProvider } from '@cs/ai';
import { HybridSearch } from '@cs/knowledge';
import { EMBEDDINGS } from '../pipeline/ai/embeddings.provider';
import { redactPersonalData } from '../pipeline/check/personal-data';
import { KnowledgeGaps } from './knowledge-gaps.service';
import { LearningEvents } from './learning-events.publisher';
import { withoutSalutations } from './salutations';

/**
 * An existing article this confident (hybrid search's calibrated confidence, the scale of the
 * tenant's threshold) for the question and the person's answer together is "close": the answer is
 * proposed as a new section of it rather than as an article of its own.
 */
export const MERGE_CONFIDENCE = 0.55;
/** "One moment, let me check" is not knowledge: a reply needs this many words to become a draft. */
const MIN_ANSWER_WORDS = 6;
const TITLE_MAX = 120;

interface ReplyContext {
  reply_text: string;
  question_id: string;
  question_text: string;
  /** The person's, and every name the customer is known by. */
  names: string[];
  channel: string;
}

/**
 * Suggested articles (issue 18): when a person answers a question the agent handed off, the
 * customer's question and the person's reply become a draft in the review queue, personal data
 * removed by the agent's own check (emails, phone and order numbers, and the names of the customer
 * and the person). Nothing is published here: a manager approves it in the console.
 */
@Injectable()
export class ArticleSuggestions {
  private readonly logger = new Logger(ArticleSuggestions.name);

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(HybridSearch) private readonly search: HybridSearch,
    @Inject(EMBEDDINGS) private readonly embeddings: CachedEmbeddingProvider,
    @Inject(KnowledgeGaps) private readonly gaps: KnowledgeGaps,
    @Inject(LearningEvents) private readonly events: LearningEvents,
  ) {}

  /** The suggestion made from this reply, or undefined when it is not a first answer to a handed-off question. */
  async fromReply(tenantId: string, conversationId: string, replyMessageId: string): Promise<string | undefined> {
    const context = await this.context(tenantId, conversationId, replyMessageId);
    if (!context) return undefined;
    const names = context.names.filter((n) => !!n);
    const question = redactPersonalData(oneLine(context.question_text), names);
    const answer = redactPersonalData(withoutSalutations(context.reply_text), names);
    if (answer.text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length < MIN_ANSWER_WORDS) return undefined;

    const query = `${question.text}\n${answer.text}`;
    const queryVector = this.embeddings.embed([query]).then(([v]) => v);
    const found = await this.search.search(this.db, tenantId, query, { limit: 1, threshold: MERGE_CONFIDENCE, queryVector });
    const close = found.passages[0];
    const gapId = await this.gaps.gapOf(tenantId, context.question_id, context.question_text);
    const title = titleOf(question.text);
    const id = newId();
    const inserted: unknown[] = await this.db.query(
      `INSERT INTO suggested_articles (id, tenant_id, source, title, body, question, answer, redactions, merge_into_article_id, merge_score, gap_id, conversation_id, reply_message_id)
       VALUES ($1, $2, 'reply', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (tenant_id, reply_message_id) WHERE reply_message_id IS NOT NULL DO NOTHING RETURNING id`,
      [
        id,
        tenantId,
        title,
        close ? `## ${title}\n\n${answer.text}` : answer.text,
        question.text,
        answer.text,
        JSON.stringify([...new Set([...question.removed, ...answer.removed])].sort()),
        close?.articleId ?? null,
        close?.score ?? null,
        gapId ?? null,
        conversationId,
        replyMessageId,
      ],
    );
    if (!inserted.length) return undefined;
    await this.events.publish('article_suggested', tenantId, {
      suggestionId: id,
      gapId,
      conversationId,
      title,
      detail: { mergeIntoArticleId: close?.articleId ?? null, channel: context.channel },
    });
    this.logger.debug(`suggested article ${id} from reply ${replyMessageId}`);
    return id;
  }

  /**
   * The reply, and the question the agent handed off before it, when this reply is the first public
   * person message since that hand-off (later replies in the same talk are follow-ups, not answers).
   */
  private async context(tenantId: string, conversationId: string, replyMessageId: string): Promise<ReplyContext | undefined> {
    const [row] = (await this.db.query(
      `WITH reply AS (
         SELECT m.id, m.text, m.author_id FROM messages m
          WHERE m.tenant_id = $1 AND m.conversation_id = $2 AND m.id = $3 AND m.author_kind = 'person' AND NOT m.private
       ), handoff AS (
         SELECT b.id, b.reply_to_message_id FROM messages b, reply r
          WHERE b.tenant_id = $1 AND b.conversation_id = $2 AND b.author_kind = 'bot' AND b.trace->'handoff' IS NOT NULL AND b.id < r.id
          ORDER BY b.id DESC LIMIT 1
       )
       SELECT r.text AS reply_text, q.id AS question_id, q.text AS question_text, c.channel,
              array_remove(ARRAY[u.name, ct.name] || ARRAY(SELECT i.display_name FROM contact_identities i WHERE i.tenant_id = $1 AND i.contact_id = c.contact_id), NULL) AS names
         FROM reply r JOIN handoff h ON true
         JOIN messages q ON q.id = h.reply_to_message_id AND q.tenant_id = $1
         JOIN conversations c ON c.id = $2 AND c.tenant_id = $1
         LEFT JOIN contacts ct ON ct.id = c.contact_id AND ct.tenant_id = $1
         LEFT JOIN users u ON u.id = r.author_id
        WHERE NOT EXISTS (SELECT 1 FROM messages p WHERE p.tenant_id = $1 AND p.conversation_id = $2 AND p.author_kind = 'person'
                            AND NOT p.private AND p.id > h.id AND p.id < r.id)`,
      [tenantId, conversationId, replyMessageId],
    )) as ReplyContext[];
    return row;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The customer's question as a title: one line, capitalized, cut at a word. */
function titleOf(question: string): string {
  const cut = question.length > TITLE_MAX ? `${question.slice(0, question.lastIndexOf(' ', TITLE_MAX - 1))}…` : question;
  return cut.charAt(0).toUpperCase() + cut.slice(1);
}
