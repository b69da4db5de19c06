import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OUTCOME_COLUMNS, OUTCOME_FILTERS, Tenant } from '@cs/persistence';
import type { ActionCounts, Analytics, Usage } from './dto/analytics.dto';

interface OutcomeRow {
  conversations: number;
  handed_off: number;
  confirmed: number;
  assumed: number;
  reopened: number;
  customer_reopened: number;
  frt_p50: number | null;
  frt_p95: number | null;
  human_p50: number | null;
  human_p95: number | null;
}

/**
 * Reporting over the conversations started in a period. A conversation is resolved automatically
 * when the bot answered and no person took part: "confirmed" when the customer said so ("This
 * solved it": an inbound message with `channel_data.action = 'resolved'`) and it is still resolved,
 * "assumed" when the customer stayed silent for 72 h after the bot's last answer. A staff member
 * closing a bot-only conversation from the console confirms nothing and counts as neither. A
 * customer message inside those 72 h reopens it (the agent sets it back to `bot` and records the
 * reopen), which undoes either; reopens (by the customer, or by staff) are counted apart. The
 * definitions are shared with experiments: @cs/persistence conversation-outcome.ts.
 * First response time is the first reply of anyone (the bot's, usually instant); the time to the
 * first person's reply after a hand-off is reported apart.
 */
@Injectable()
export class AnalyticsService {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** `channels`: only conversations on these channels; null for every channel. */
  async report(tenantId: string, from: Date, to: Date, channels: string[] | null = null): Promise<Analytics> {
    const tenant = await this.db.manager.findOneOrFail(Tenant, { where: { id: tenantId } });
    const timezone = typeof tenant.settings.timezone === 'string' ? tenant.settings.timezone : 'UTC';
    const volume: Analytics['volume'] = await this.db.query(
      `SELECT to_char(date_trunc('day', m.created_at AT TIME ZONE $4), 'YYYY-MM-DD') AS day, c.channel, count(*)::int AS messages
         FROM messages m JOIN conversations c ON c.id = m.conversation_id AND c.tenant_id = m.tenant_id
        WHERE m.tenant_id = $1 AND m.direction = 'in' AND m.created_at >= $2 AND m.created_at < $3 AND ($5::text[] IS NULL OR c.channel = ANY($5::text[]))
        GROUP BY 1, 2 ORDER BY 1, 2`,
      [tenantId, from, to, timezone, channels],
    );
    const [outcome] = (await this.db.query(this.outcomeSql(), [tenantId, from, to, channels])) as OutcomeRow[];
    const topIntents: Analytics['topIntents'] = await this.db.query(
      `SELECT intent, count(*)::int AS conversations FROM conversations
        WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3 AND intent IS NOT NULL AND ($4::text[] IS NULL OR channel = ANY($4::text[]))
        GROUP BY intent ORDER BY 2 DESC, 1 LIMIT 10`,
      [tenantId, from, to, channels],
    );
    const unanswered: Analytics['unanswered'] = await this.db.query(
      `SELECT q.conversation_id AS "conversationId", q.text, q.created_at AS at
         FROM messages r JOIN messages q ON q.id = r.reply_to_message_id AND q.tenant_id = r.tenant_id
        WHERE r.tenant_id = $1 AND r.author_kind = 'bot' AND r.created_at >= $2 AND r.created_at < $3
          AND r.trace->'handoff'->>'reason' IN ('no_confident_answer', 'failed_check') AND ${ofChannels('q')}
        ORDER BY r.id DESC LIMIT 20`,
      [tenantId, from, to, channels],
    );
    // The same misses grouped by meaning (issue 18): one row per question, not per phrasing of it.
    const knowledgeGaps: Analytics['knowledgeGaps'] = await this.db.query(
      `SELECT g.id, g.label, g.size, count(*)::int AS questions
         FROM knowledge_gaps g JOIN knowledge_gap_questions q ON q.gap_id = g.id
        WHERE g.tenant_id = $1 AND g.status = 'open' AND q.created_at >= $2 AND q.created_at < $3 AND ($4::text[] IS NULL OR q.channel = ANY($4::text[]))
        GROUP BY g.id ORDER BY 4 DESC, g.size DESC, g.id LIMIT 10`,
      [tenantId, from, to, channels],
    );
    // Ratings received in the period (a customer rates after the talk, often on a later day).
    const csatByChannel = (await this.db.query(
      `SELECT c.channel, count(*)::int AS responses, avg(f.rating)::float AS average, sum(f.rating)::int AS total
         FROM conversation_feedback f JOIN conversations c ON c.id = f.conversation_id AND c.tenant_id = f.tenant_id
        WHERE f.tenant_id = $1 AND f.rated_at >= $2 AND f.rated_at < $3 AND ($4::text[] IS NULL OR c.channel = ANY($4::text[]))
        GROUP BY c.channel ORDER BY c.channel`,
      [tenantId, from, to, channels],
    )) as { channel: string; responses: number; average: number | null; total: number }[];
    const responses = csatByChannel.reduce((n, row) => n + row.responses, 0);
    const csat = { responses, average: responses ? csatByChannel.reduce((n, row) => n + row.total, 0) / responses : null };
    const actions = await this.actions(tenantId, from, to);
    const total = outcome.conversations;
    const rate = (n: number) => (total ? Math.round((n / total) * 1000) / 1000 : null);
    return {
      period: { from: from.toISOString(), to: to.toISOString(), timezone, channels },
      volume,
      conversations: total,
      automatedResolution: { confirmed: outcome.confirmed, assumed: outcome.assumed, rate: rate(outcome.confirmed + outcome.assumed) },
      handoff: { conversations: outcome.handed_off, rate: rate(outcome.handed_off) },
      reopened: { conversations: outcome.reopened, byCustomer: outcome.customer_reopened, rate: rate(outcome.reopened) },
      firstResponseSeconds: { p50: seconds(outcome.frt_p50), p95: seconds(outcome.frt_p95) },
      firstHumanReplyAfterHandoffSeconds: { p50: seconds(outcome.human_p50), p95: seconds(outcome.human_p95) },
      csat: {
        responses: csat.responses,
        average: hundredths(csat.average),
        byChannel: csatByChannel.map((row) => ({ channel: row.channel, responses: row.responses, average: hundredths(row.average) })),
      },
      topIntents,
      unanswered,
      knowledgeGaps,
      actions,
    };
  }

  /**
   * Calls from `action_calls` (created in the period); refusals and look-ups from the agent's replies'
   * traces (`action.identity = failed`, `action.step = not_possible`, `action.step = answered`).
   */
  private async actions(tenantId: string, from: Date, to: Date): Promise<Analytics['actions']> {
    const rows: (ActionCounts & { action: string })[] = await this.db.query(
      `WITH calls AS (
         SELECT action,
                count(*) FILTER (WHERE status = 'done')::int AS done,
                count(*) FILTER (WHERE status = 'failed')::int AS failed,
                count(*) FILTER (WHERE status = 'awaiting_approval')::int AS "awaitingApproval",
                count(*) FILTER (WHERE decided_at IS NOT NULL AND status <> 'rejected')::int AS approved,
                count(*) FILTER (WHERE status = 'rejected')::int AS rejected
           FROM action_calls WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3 GROUP BY action
       ), replies AS (
         SELECT trace->'action'->>'action' AS action,
                count(*) FILTER (WHERE trace->'action'->>'identity' IN ('failed', 'code_wrong', 'too_many_codes') OR trace->'action'->>'step' = 'not_possible')::int AS refused,
                count(*) FILTER (WHERE trace->'action'->>'step' = 'answered')::int AS lookups
           FROM messages WHERE tenant_id = $1 AND author_kind = 'bot' AND created_at >= $2 AND created_at < $3 AND trace->'action'->>'action' IS NOT NULL
          GROUP BY 1
       )
       SELECT coalesce(c.action, r.action) AS action, coalesce(c.done, 0) AS done, coalesce(c.failed, 0) AS failed, coalesce(r.refused, 0) AS refused,
              coalesce(c."awaitingApproval", 0) AS "awaitingApproval", coalesce(c.approved, 0) AS approved, coalesce(c.rejected, 0) AS rejected,
              coalesce(r.lookups, 0) AS lookups
         FROM calls c FULL JOIN replies r ON r.action = c.action ORDER BY 1`,
      [tenantId, from, to],
    );
    const keys = ['done', 'failed', 'refused', 'awaitingApproval', 'approved', 'rejected', 'lookups'] as const;
    const totals = Object.fromEntries(keys.map((k) => [k, rows.reduce((n, r) => n + r[k], 0)])) as unknown as ActionCounts;
    return { ...totals, byAction: rows };
  }

  /** Billing figures for one calendar month (UTC). */
  async usage(tenantId: string, month: string): Promise<Usage> {
    const from = new Date(`${month}-01T00:00:00Z`);
    const to = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1));
    const [messages] = (await this.db.query(
      `SELECT count(*) FILTER (WHERE direction = 'in')::int AS "in", count(*) FILTER (WHERE direction = 'out' AND NOT private)::int AS "out"
         FROM messages WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3`,
      [tenantId, from, to],
    )) as { in: number; out: number }[];
    const [outcome] = (await this.db.query(this.outcomeSql(), [tenantId, from, to, null])) as OutcomeRow[];
    return { tenantId, month, messagesIn: messages.in, messagesOut: messages.out, automatedResolutions: outcome.confirmed + outcome.assumed };
  }

  private outcomeSql(): string {
    return `
      WITH conv AS (
        SELECT c.id, c.tenant_id, ${OUTCOME_COLUMNS}
          FROM conversations c
         WHERE c.tenant_id = $1 AND c.created_at >= $2 AND c.created_at < $3 AND ($4::text[] IS NULL OR c.channel = ANY($4::text[]))
      )
      SELECT count(*)::int AS conversations,
             count(*) FILTER (WHERE ${OUTCOME_FILTERS.handedOff})::int AS handed_off,
             count(*) FILTER (WHERE ${OUTCOME_FILTERS.confirmed})::int AS confirmed,
             count(*) FILTER (WHERE ${OUTCOME_FILTERS.assumed})::int AS assumed,
             count(*) FILTER (WHERE ${OUTCOME_FILTERS.reopened})::int AS reopened,
             count(*) FILTER (WHERE ${OUTCOME_FILTERS.customerReopened})::int AS customer_reopened,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_out - first_in)) FILTER (WHERE first_out >= first_in) AS frt_p50,
             percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM first_out - first_in)) FILTER (WHERE first_out >= first_in) AS frt_p95,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_human - handed_off_at)) FILTER (WHERE first_human IS NOT NULL) AS human_p50,
             percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM first_human - handed_off_at)) FILTER (WHERE first_human IS NOT NULL) AS human_p95
        FROM (SELECT conv.*, (SELECT min(m.created_at) FROM messages m WHERE m.tenant_id = conv.tenant_id AND m.conversation_id = conv.id
                AND m.author_kind = 'person' AND NOT m.private AND m.created_at >= conv.handed_off_at) AS first_human FROM conv) conv`;
  }
}

function hundredths(value: number | string | null): number | null {
  return value === null ? null : Math.round(Number(value) * 100) / 100;
}

/** Rows of `alias` (with tenant_id and conversation_id) whose conversation is on one of the channels in $4 (null: any). */
function ofChannels(alias: string): string {
  return `($4::text[] IS NULL OR EXISTS (SELECT 1 FROM conversations cc WHERE cc.tenant_id = ${alias}.tenant_id AND cc.id = ${alias}.conversation_id AND cc.channel = ANY($4::text[])))`;
}

function seconds(value: number | string | null): number | null {
  return value === null ? null : Math.round(Number(value) * 1000) / 1000;
}
