import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CsatService, type CsatView } from '../api-channel/csat.service';
import { SESSION_CONVERSATIONS_SQL, SESSION_SCOPE_SQL } from './webchat-history.service';
import { feedbackClientId } from './webchat.protocol';

/** How the bot's answer is rated: only its own, and once. */
export type AnswerFeedbackState = 'not_found' | 'already_answered' | 'open';

/**
 * What a widget session may say about its conversations: whether a bot answer helped (sent on as
 * a customer message, the way Slack's buttons are, so the agent resolves the conversation or
 * notes the miss) and its satisfaction rating (the API channel's CSAT). A session reaches only the
 * web-chat conversations of its own contact, the ones its history shows.
 */
@Injectable()
export class WebchatFeedbackService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly csat: CsatService,
  ) {}

  async answerState(tenantId: string, sessionId: string, messageId: string): Promise<AnswerFeedbackState> {
    const [row] = (await this.db.query(
      `SELECT EXISTS (SELECT 1 FROM messages f
                       WHERE f.tenant_id = m.tenant_id AND f.connector_id = 'webchat' AND f.direction = 'in'
                         AND f.external_message_id = $4) AS answered
         FROM ${SESSION_CONVERSATIONS_SQL}
         JOIN messages m ON m.tenant_id = c.tenant_id AND m.conversation_id = c.id
        WHERE ${SESSION_SCOPE_SQL}
          AND m.id = $3 AND m.author_kind = 'bot' AND m.private = false`,
      // The vendor id the webchat connector gives the feedback message (`<session>:<clientId>`).
      [tenantId, sessionId, messageId, `${sessionId}:${feedbackClientId(messageId)}`],
    )) as { answered: boolean }[];
    if (!row) return 'not_found';
    return row.answered ? 'already_answered' : 'open';
  }

  /** Null when the conversation is not one of this session's. */
  async rate(tenantId: string, sessionId: string, conversationId: string, rating: number): Promise<CsatView | null> {
    const [own] = (await this.db.query(
      `SELECT 1 FROM ${SESSION_CONVERSATIONS_SQL} WHERE ${SESSION_SCOPE_SQL} AND c.id = $3`,
      [tenantId, sessionId, conversationId],
    )) as unknown[];
    if (!own) return null;
    return this.csat.rate(tenantId, conversationId, { rating });
  }
}
