import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Contact, ContactIdentity, Conversation, Message } from '@cs/persistence';
import { AttachmentStore } from '@cs/storage';
import { withFileLinks } from '../../common/file-links';
import type { Principal } from '../auth/principal';
import { decodeCursor, pageOf, type Page } from '../common/cursor';
import type { ConversationSummary, ListConversationsQuery } from './dto/conversation.dto';

interface SummaryRow {
  id: string;
  status: string;
  channel: string;
  connector_id: string;
  subject: string | null;
  intent: string | null;
  assignee_id: string | null;
  labels: string[];
  contact_id: string;
  contact_name: string | null;
  contact_email: string | null;
  preview: string | null;
  last_message_at: Date | null;
  created_at: Date;
  team_id: string | null;
  waiting_since: Date | null;
  waiting_seconds: number | null;
  sla_breached_at: Date | null;
  closed_at: Date | null;
  /** The sort key as PostgreSQL prints it: microsecond precision survives the cursor round trip. */
  sort_at: string;
  /** The status's place in the work queue (`order=queue`). */
  rank: number;
}

const SORT_KEY = 'coalesce(c.last_message_at, c.created_at)';
/** `order=queue`: a person's work first — waiting, then assigned — then the bot's, then resolved. */
const QUEUE_RANK = "(CASE c.status WHEN 'waiting' THEN 0 WHEN 'assigned' THEN 1 WHEN 'bot' THEN 2 ELSE 3 END)";

/** The inbox: filtered, searchable, most recently active first (or as a work queue), keyset-paginated. */
@Injectable()
export class ConversationsQueryService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AttachmentStore) private readonly files: AttachmentStore,
  ) {}

  async list(caller: Principal, tenantId: string, query: ListConversationsQuery): Promise<Page<ConversationSummary>> {
    const params: unknown[] = [tenantId];
    const where = ['c.tenant_id = $1'];
    const bind = (value: unknown): string => `$${params.push(value)}`;

    if (query.status) where.push(`c.status = ANY(${bind(query.status)}::text[])`);
    if (query.channel) where.push(`c.channel = ANY(${bind(query.channel)}::text[])`);
    if (query.intent) where.push(`c.intent = ${bind(query.intent)}`);
    if (query.assignee === 'none') where.push('c.assignee_id IS NULL');
    else if (query.assignee) where.push(`c.assignee_id = ${bind(query.assignee === 'me' ? caller.id : query.assignee)}::uuid`);
    if (query.label) where.push(`c.labels @> ARRAY[${bind(query.label)}]::text[]`);
    if (query.from) where.push(`c.created_at >= ${bind(query.from)}`);
    if (query.to) where.push(`c.created_at < ${bind(query.to)}`);
    if (query.q) {
      const words = bind(query.q);
      const like = bind(`%${query.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
      // Full text for words (stemmed, indexed); ILIKE for fragments like order numbers and emails.
      where.push(`(c.subject ILIKE ${like} OR EXISTS (
        SELECT 1 FROM messages m WHERE m.tenant_id = c.tenant_id AND m.conversation_id = c.id
          AND (to_tsvector('english'::regconfig, m.text) @@ plainto_tsquery('english'::regconfig, ${words}) OR m.text ILIKE ${like})))`);
    }
    const queue = query.order === 'queue';
    if (query.after && queue) {
      const key = decodeCursor(query.after, ['rank', 'at', 'id'] as const);
      where.push(`(${QUEUE_RANK}, ${SORT_KEY}, c.id) > (${bind(Number(key.rank) || 0)}::int, ${bind(key.at)}::timestamptz, ${bind(key.id)}::uuid)`);
    } else if (query.after) {
      const key = decodeCursor(query.after, ['at', 'id'] as const);
      where.push(`(${SORT_KEY}, c.id) < (${bind(key.at)}::timestamptz, ${bind(key.id)}::uuid)`);
    }

    const rows: SummaryRow[] = await this.db.query(
      `SELECT c.id, c.status, c.channel, c.connector_id, c.subject, c.intent, c.assignee_id, c.labels, c.contact_id,
              c.last_message_at, c.created_at, c.team_id, c.waiting_since, c.sla_breached_at, c.closed_at,
              floor(extract(epoch FROM now() - c.waiting_since))::int AS waiting_seconds, ${SORT_KEY}::text AS sort_at, ${QUEUE_RANK} AS rank,
              ct.name AS contact_name, ct.email AS contact_email,
              (SELECT m.text FROM messages m WHERE m.tenant_id = c.tenant_id AND m.conversation_id = c.id AND NOT m.private
                ORDER BY m.id DESC LIMIT 1) AS preview
         FROM conversations c
         LEFT JOIN contacts ct ON ct.id = c.contact_id AND ct.tenant_id = c.tenant_id
        WHERE ${where.join(' AND ')}
        ORDER BY ${queue ? `${QUEUE_RANK}, ${SORT_KEY}, c.id` : `${SORT_KEY} DESC, c.id DESC`}
        LIMIT ${bind(query.limit + 1)}`,
      params,
    );
    return pageOf(rows, query.limit, toSummary, (row): Record<string, string> =>
      queue ? { rank: String(row.rank), at: row.sort_at, id: row.id } : { at: row.sort_at, id: row.id },
    );
  }

  async detail(tenantId: string, id: string) {
    const conversation = await this.db.manager.findOne(Conversation, { where: { id, tenantId } });
    if (!conversation) throw new NotFoundException('no such conversation');
    const contact = await this.db.manager.findOne(Contact, { where: { id: conversation.contactId, tenantId } });
    const identities = await this.db.manager.find(ContactIdentity, { where: { contactId: conversation.contactId, tenantId } });
    const messages = await this.db.manager.find(Message, { where: { conversationId: id, tenantId }, order: { id: 'ASC' } });
    // Each message's files with short-lived signed links (FILE_LINK_TTL_SECONDS): fetch the conversation again for fresh ones.
    const linked = await withFileLinks(this.files, tenantId, messages);
    return {
      ...conversation,
      waitingSeconds: conversation.waitingSince ? Math.floor((Date.now() - conversation.waitingSince.getTime()) / 1000) : null,
      /** Files of the whole conversation (a call's recording), with signed links. */
      files: await this.files.forConversations(tenantId, [id]),
      contact: contact && { ...contact, identities: identities.map(({ channel, externalUserId, address, displayName }) => ({ channel, externalUserId, address, displayName })) },
      messages: linked.map((m) => ({
        id: m.id,
        direction: m.direction,
        authorKind: m.authorKind,
        authorId: m.authorId,
        private: m.private,
        text: m.text,
        parts: m.parts,
        deliveryState: m.deliveryState,
        errorCode: m.errorCode,
        errorMessage: m.errorMessage,
        replyToMessageId: m.replyToMessageId,
        trace: m.trace,
        attachments: m.attachments,
        createdAt: m.createdAt,
      })),
    };
  }
}

function toSummary(row: SummaryRow): ConversationSummary {
  return {
    id: row.id,
    status: row.status,
    channel: row.channel,
    connectorId: row.connector_id,
    subject: row.subject,
    intent: row.intent,
    assigneeId: row.assignee_id,
    labels: row.labels,
    contact: { id: row.contact_id, name: row.contact_name, email: row.contact_email },
    preview: row.preview,
    lastMessageAt: row.last_message_at,
    createdAt: row.created_at,
    teamId: row.team_id,
    waitingSince: row.waiting_since,
    waitingSeconds: row.waiting_seconds,
    slaBreachedAt: row.sla_breached_at,
    closedAt: row.closed_at,
  };
}
