import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { newId, textOf } from '@cs/contracts';
import type { Message } from '@cs/persistence';
import type { Draft, Turn } from '../pipeline/pipeline.types';
import { toMessage } from './inbound-recorder.service';

export type RecordedReply = { reply: Message; created: boolean } | { reply: null; skipped: 'person_took_over' };

/**
 * Transaction 2 of a turn: store the bot's reply and move the conversation on. The unique index on
 * (reply_to_message_id) for bot messages decides races: a concurrent or redelivered duplicate loses
 * the insert and gets the winner's reply back, so both publish the same message id.
 */
@Injectable()
export class ReplyRecorder {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  record(turn: Turn, draft: Draft, trace: Record<string, unknown>): Promise<RecordedReply> {
    return this.dataSource.transaction(async (m) => {
      // A person may have taken the conversation while we were thinking: then they answer, not us.
      const rows: { status: string }[] = await m.query('SELECT status FROM conversations WHERE id = $1 FOR UPDATE', [turn.conversationId]);
      if (rows[0]?.status === 'assigned') return { reply: null, skipped: 'person_took_over' as const };

      const inserted: Record<string, unknown>[] = await m.query(
        `INSERT INTO messages (id, tenant_id, conversation_id, direction, author_kind, connector_id, parts, text, reply_to_message_id, delivery_state, trace)
         VALUES ($1, $2, $3, 'out', 'bot', $4, $5, $6, $7, 'pending', $8)
         ON CONFLICT (reply_to_message_id) WHERE author_kind = 'bot' DO NOTHING
         RETURNING *`,
        [newId(), turn.tenantId, turn.conversationId, turn.inbound.connectorId, JSON.stringify(draft.parts), textOf(draft.parts), turn.inboundMessageId, JSON.stringify(trace)],
      );
      if (inserted.length === 0) {
        const winner: Record<string, unknown>[] = await m.query(
          `SELECT * FROM messages WHERE reply_to_message_id = $1 AND author_kind = 'bot'`,
          [turn.inboundMessageId],
        );
        return { reply: toMessage(winner[0]), created: false };
      }
      const intent = typeof trace.intent === 'string' ? trace.intent : null;
      if (draft.handoff) {
        await m.query(
          `UPDATE conversations SET status = CASE WHEN status = 'bot' THEN 'waiting' ELSE status END,
                  summary = $2, intent = coalesce($3, intent), last_message_at = now(), updated_at = now()
           WHERE id = $1`,
          [turn.conversationId, draft.handoff.summary, intent],
        );
      } else {
        await m.query(
          `UPDATE conversations SET intent = coalesce($2, intent), last_message_at = now(), updated_at = now() WHERE id = $1`,
          [turn.conversationId, intent],
        );
      }
      return { reply: toMessage(inserted[0]), created: true };
    });
  }
}
