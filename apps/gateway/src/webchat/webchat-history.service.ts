import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { replyOutcomeOf } from '@cs/contracts';
import { AttachmentStore } from '@cs/storage';
import { withFileLinks } from '../common/file-links';
import type { ChatMessage } from './webchat.protocol';

/** A first visit (after = null) restores the latest messages only; a resume catches up fully. */
const FIRST_LOAD_LIMIT = 200;
const PAGE = 500;

interface Row {
  id: string;
  conversation_id: string;
  direction: 'in' | 'out';
  author_kind: ChatMessage['authorKind'];
  text: string;
  parts: ChatMessage['parts'] | string;
  created_at: Date | string;
  client_id: string | null;
  /** A bot reply's trace, only the keys its outcome is read from. */
  outcome_trace: Record<string, unknown> | string | null;
}

/**
 * The web-chat conversations a widget session may reach, as SQL: those of the contact behind
 * (tenant `$1`, 'webchat', session `$2`), as `c`. Its history, its feedback and its ratings all
 * stay inside it.
 */
export const SESSION_CONVERSATIONS_SQL = `contact_identities ci
  JOIN conversations c ON c.tenant_id = ci.tenant_id AND c.contact_id = ci.contact_id AND c.channel = 'webchat'`;
export const SESSION_SCOPE_SQL = `ci.tenant_id = $1 AND ci.channel = 'webchat' AND ci.external_user_id = $2`;

/**
 * The messages a widget session may see: every non-private message of the web-chat conversations
 * of the contact behind (tenant, 'webchat', sessionId), in id (= time) order. Inbound ones carry
 * the widget's clientId so it can match them with what it sent.
 */
@Injectable()
export class WebchatHistoryService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(AttachmentStore) private readonly files: AttachmentStore,
  ) {}

  async *after(tenantId: string, sessionId: string, after: string | null): AsyncGenerator<ChatMessage[]> {
    if (after === null) {
      const rows = await this.query(tenantId, sessionId, null, FIRST_LOAD_LIMIT, 'DESC');
      if (rows.length) yield await this.withFiles(tenantId, rows.reverse().map(toChatMessage));
      return;
    }
    let cursor = after;
    for (;;) {
      const rows = await this.query(tenantId, sessionId, cursor, PAGE, 'ASC');
      if (!rows.length) return;
      yield await this.withFiles(tenantId, rows.map(toChatMessage));
      if (rows.length < PAGE) return;
      cursor = rows[rows.length - 1].id;
    }
  }

  /** The customer's own files come back with a short-lived link on their part (the widget shows parts). */
  private async withFiles(tenantId: string, messages: ChatMessage[]): Promise<ChatMessage[]> {
    const linked = await withFileLinks(this.files, tenantId, messages);
    return linked.map(({ attachments, ...m }) => (attachments.length ? (m as ChatMessage) : m));
  }

  private query(tenantId: string, sessionId: string, after: string | null, limit: number, order: 'ASC' | 'DESC'): Promise<Row[]> {
    const params: unknown[] = [tenantId, sessionId, limit];
    if (after) params.push(after);
    return this.dataSource.query(
      `SELECT m.id, m.conversation_id, m.direction, m.author_kind, m.text, m.parts, m.created_at,
              m.channel_data->>'clientId' AS client_id,
              CASE WHEN m.author_kind = 'bot' AND m.trace IS NOT NULL
                   THEN jsonb_build_object('decision', m.trace->'decision', 'generator', m.trace->'generator', 'handoff', m.trace->'handoff') END AS outcome_trace
         FROM ${SESSION_CONVERSATIONS_SQL}
         JOIN messages m ON m.tenant_id = c.tenant_id AND m.conversation_id = c.id
        WHERE ${SESSION_SCOPE_SQL}
          AND m.private = false ${after ? 'AND m.id > $4' : ''}
        ORDER BY m.id ${order}
        LIMIT $3`,
      params,
    );
  }
}

function toChatMessage(row: Row): ChatMessage {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    direction: row.direction,
    authorKind: row.author_kind,
    text: row.text,
    parts: typeof row.parts === 'string' ? JSON.parse(row.parts) : row.parts,
    createdAt: new Date(row.created_at).toISOString(),
    ...(row.direction === 'in' && row.client_id ? { clientId: row.client_id } : {}),
    ...outcomeOf(row),
  };
}

/** A restored bot reply says what the agent did, as its live frame did. */
function outcomeOf(row: Row): Pick<ChatMessage, 'outcome'> {
  const trace = typeof row.outcome_trace === 'string' ? (JSON.parse(row.outcome_trace) as Record<string, unknown>) : row.outcome_trace;
  const outcome = replyOutcomeOf(trace);
  return outcome ? { outcome } : {};
}
