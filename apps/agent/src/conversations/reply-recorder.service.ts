import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { newId, textOf } from '@cs/contracts';
import { StatementBatcher, type Message } from '@cs/persistence';
import type { Draft, Turn } from '../pipeline/pipeline.types';
import { toMessage } from './inbound-recorder.service';

export type RecordedReply = { reply: Message; created: boolean } | { reply: null; skipped: 'person_took_over' };

/*
 * One statement for every reply ready at the same moment (StatementBatcher): one round trip and one
 * commit for many turns under load, and no BEGIN/COMMIT of its own. The conversation rows are
 * locked first (FOR UPDATE waits for a person's assignment in flight and then sees its committed
 * status, whatever the statement's snapshot); a reply is stored only if no person owns its
 * conversation, and the conversation moves on only if its reply was stored. Callers are resolved
 * after the statement has committed.
 */
const RECORD_REPLIES_SQL = `
WITH input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
    ord int, id uuid, tenant_id uuid, conversation_id uuid, connector_id text, parts jsonb, text text,
    reply_to uuid, trace jsonb, handoff boolean, summary text, intent text)
), conversation AS (
  SELECT id, status FROM conversations WHERE id IN (SELECT conversation_id FROM input) ORDER BY id FOR UPDATE
), stored AS (
  INSERT INTO messages (id, tenant_id, conversation_id, direction, author_kind, connector_id, parts, text, reply_to_message_id, delivery_state, trace)
  SELECT i.id, i.tenant_id, c.id, 'out', 'bot', i.connector_id, i.parts, i.text, i.reply_to, 'pending', i.trace
  FROM input i JOIN conversation c ON c.id = i.conversation_id
  WHERE c.status <> 'assigned'
  ON CONFLICT (reply_to_message_id) WHERE author_kind = 'bot' DO NOTHING
  RETURNING *
), moved AS (
  UPDATE conversations c
  SET status = CASE WHEN i.handoff AND c.status = 'bot' THEN 'waiting' ELSE c.status END,
      summary = CASE WHEN i.handoff THEN i.summary ELSE c.summary END,
      intent = coalesce(i.intent, c.intent), last_message_at = now(), updated_at = now()
  FROM stored s JOIN input i ON i.id = s.id
  WHERE c.id = s.conversation_id
)
SELECT i.ord, c.status AS conversation_status, to_jsonb(s) AS reply
FROM input i LEFT JOIN conversation c ON c.id = i.conversation_id LEFT JOIN stored s ON s.id = i.id`;

interface ReplyItem {
  id: string;
  tenant_id: string;
  conversation_id: string;
  connector_id: string;
  parts: unknown;
  text: string;
  reply_to: string;
  trace: Record<string, unknown>;
  handoff: boolean;
  summary: string | null;
  intent: string | null;
}
type ReplyRow = { conversation_status: string | null; reply: Record<string, unknown> | null };

/**
 * Transaction 2 of a turn: store the bot's reply and move the conversation on. The unique index on
 * (reply_to_message_id) for bot messages decides races: a concurrent or redelivered duplicate loses
 * the insert and gets the winner's reply back, so both publish the same message id.
 */
@Injectable()
export class ReplyRecorder {
  private readonly batcher: StatementBatcher<ReplyItem, ReplyRow>;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    this.batcher = new StatementBatcher((items) => this.storeAll(items));
  }

  async record(turn: Turn, draft: Draft, trace: Record<string, unknown>): Promise<RecordedReply> {
    const row = await this.batcher.submit({
      id: newId(),
      tenant_id: turn.tenantId,
      conversation_id: turn.conversationId,
      connector_id: turn.inbound.connectorId,
      parts: draft.parts,
      text: textOf(draft.parts),
      reply_to: turn.inboundMessageId,
      trace,
      handoff: !!draft.handoff,
      summary: draft.handoff?.summary ?? null,
      intent: typeof trace.intent === 'string' ? trace.intent : null,
    });
    if (row.reply) return { reply: toMessage(row.reply), created: true };
    // A person may have taken the conversation while we were thinking: then they answer, not us.
    if (row.conversation_status === 'assigned') return { reply: null, skipped: 'person_took_over' };
    if (!row.conversation_status) throw new Error(`conversation ${turn.conversationId} is gone`);
    const winner: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT * FROM messages WHERE reply_to_message_id = $1 AND author_kind = 'bot'`,
      [turn.inboundMessageId],
    );
    if (!winner[0]) throw new Error(`the reply to ${turn.inboundMessageId} lost its insert but is not stored`);
    return { reply: toMessage(winner[0]), created: false };
  }

  private async storeAll(items: ReplyItem[]): Promise<ReplyRow[]> {
    const rows: (ReplyRow & { ord: number })[] = await this.dataSource.query(RECORD_REPLIES_SQL, [
      JSON.stringify(items.map((item, ord) => ({ ...item, ord }))),
    ]);
    const byOrd = new Map(rows.map((r) => [r.ord, r]));
    return items.map((_, ord) => byOrd.get(ord) ?? { conversation_status: null, reply: null });
  }
}
