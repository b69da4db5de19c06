import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  BusSubjects,
  MESSAGE_TYPES,
  conversationEventSchema,
  makeEnvelope,
  newId,
  outboundMessageSchema,
  textOf,
  type Channel,
  type Envelope,
  type InboundMessage,
  type MessagePart,
  type OutboundMessage,
  type ReplyLanguage,
  asReplyLanguage,
} from '@cs/contracts';
import { BUS, type Bus } from '@cs/messaging';
import { recordCsatRating } from '@cs/persistence';
import { render } from '../pipeline/text/templates';
import { CSAT_ANSWER_DAYS, CSAT_SURVEY, ratingOf } from './csat-rating';

interface ConversationRow {
  id: string;
  channel: Channel;
  connector_id: string;
  channel_account_id: string | null;
  external_thread_id: string | null;
  contact_id: string;
  status: string;
  channel_data: Record<string, unknown>;
  tenant_settings: Record<string, unknown> | null;
}

interface MessageRow {
  id: string;
  external_message_id: string | null;
  channel_data: Record<string, unknown>;
  delivery_state: string;
}

/**
 * Customer satisfaction on the channels where the customer answers in the conversation itself
 * (email, SMS, WhatsApp, Slack): once a conversation is resolved, one short question — a number to
 * reply with, or buttons on Slack — and the answer recorded like a rating from the widget or the
 * API (`recordCsatRating`, the durable `conv.csat` event), counted in analytics by channel. The
 * answer does not reopen the conversation; anything that is not a rating is a new question.
 */
@Injectable()
export class CsatSurveys {
  private readonly logger = new Logger(CsatSurveys.name);

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(BUS) private readonly bus: Bus,
  ) {}

  /**
   * After a resolution: asks, once per conversation. A redelivered event finds the question stored
   * and publishes it again only if it never went out (the bus drops the duplicate by message id).
   */
  async ask(tenantId: string, conversationId: string): Promise<boolean> {
    const outbound = await this.db.transaction(async (m) => {
      const c = await conversationRow(m, tenantId, conversationId);
      if (!c || c.status !== 'resolved' || !c.channel_account_id || !CSAT_SURVEY[c.channel]) return null;
      if (c.tenant_settings?.csatSurvey === false) return null;
      const [asked] = (await m.query(
        `SELECT id, external_message_id, channel_data, delivery_state FROM messages WHERE tenant_id = $1 AND conversation_id = $2 AND channel_data->>'csat' = 'asked' LIMIT 1`,
        [tenantId, conversationId],
      )) as MessageRow[];
      if (asked && asked.delivery_state !== 'pending') return null;
      if (!asked && !(await this.wasAnswered(m, tenantId, conversationId))) return null;
      return this.question(m, tenantId, c, asked?.id);
    });
    if (!outbound) return false;
    await this.bus.publish(BusSubjects.msgOut(outbound.channel, tenantId), makeEnvelope(MESSAGE_TYPES.outbound, tenantId, outbound, { conversationId }), {
      msgId: `out:${outbound.messageId}`,
    });
    return true;
  }

  /**
   * A customer's message that answers a survey asked in the last days: stored in the resolved
   * conversation, the rating recorded and announced, a short thanks sent. False when the message is
   * not such an answer (the pipeline handles it as any other).
   */
  async answer(envelope: Envelope<InboundMessage>, inbound: InboundMessage): Promise<boolean> {
    if (!CSAT_SURVEY[inbound.channel] || inbound.channelData.staff === true) return false;
    const rating = ratingOf(inbound);
    if (rating === null) return false;
    const tenantId = envelope.tenantId;
    const recorded = await this.db.transaction(async (m) => {
      const stored = (await m.query(
        `SELECT id, conversation_id FROM messages WHERE tenant_id = $1 AND connector_id = $2 AND external_message_id = $3 AND direction = 'in' AND channel_data ? 'csatAnswer'`,
        [tenantId, inbound.connectorId, inbound.externalMessageId],
      )) as { id: string; conversation_id: string }[];
      // A redelivery of an answer already stored: announce it again (deduplicated) and thank once.
      const conversationId = stored[0]?.conversation_id ?? (await this.pendingSurvey(m, tenantId, inbound));
      if (!conversationId) return null;
      const messageId = stored[0]?.id ?? (await this.storeAnswer(m, tenantId, conversationId, inbound, rating));
      const view = await recordCsatRating(m, tenantId, conversationId, rating);
      const c = (await conversationRow(m, tenantId, conversationId))!;
      const thanks = await this.thanks(m, tenantId, c, messageId, inbound);
      return { conversation: c, messageId, view, thanks };
    });
    if (!recorded) return false;
    const { conversation, messageId, view, thanks } = recorded;
    const event = conversationEventSchema.parse({
      conversationId: conversation.id,
      channel: conversation.channel,
      externalThreadId: conversation.external_thread_id ?? undefined,
      status: conversation.status,
      messageId,
      detail: { rating: view.rating, ratedAt: view.ratedAt, source: 'survey' },
    });
    await this.bus.publish(BusSubjects.convEvent('csat', tenantId), makeEnvelope(MESSAGE_TYPES.conversation, tenantId, event, { conversationId: conversation.id }), {
      msgId: `csat:${messageId}`,
    });
    if (thanks) {
      await this.bus.publish(BusSubjects.msgOut(thanks.channel, tenantId), makeEnvelope(MESSAGE_TYPES.outbound, tenantId, thanks, { conversationId: conversation.id }), {
        msgId: `out:${thanks.messageId}`,
      });
    }
    this.logger.log(`conversation ${conversation.id} rated ${rating} on ${conversation.channel}`);
    return true;
  }

  /** Only a conversation someone answered is worth rating (not one staff closed as spam). */
  private async wasAnswered(m: EntityManager, tenantId: string, conversationId: string): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `SELECT 1 FROM messages WHERE tenant_id = $1 AND conversation_id = $2 AND direction = 'out' AND NOT private AND author_kind IN ('bot', 'person') LIMIT 1`,
      [tenantId, conversationId],
    );
    return rows.length > 0;
  }

  /** The customer's resolved conversation on this channel whose last message is our question, asked within CSAT_ANSWER_DAYS. */
  private async pendingSurvey(m: EntityManager, tenantId: string, inbound: InboundMessage): Promise<string | null> {
    const rows: { id: string }[] = await m.query(
      `SELECT c.id FROM contact_identities ci
         JOIN conversations c ON c.tenant_id = ci.tenant_id AND c.contact_id = ci.contact_id AND c.channel = ci.channel AND c.connector_id = $4
         JOIN LATERAL (SELECT channel_data, created_at FROM messages m
                        WHERE m.tenant_id = c.tenant_id AND m.conversation_id = c.id AND NOT m.private
                        ORDER BY m.created_at DESC, m.id DESC LIMIT 1) last ON true
        WHERE ci.tenant_id = $1 AND ci.channel = $2 AND ci.external_user_id = $3 AND c.status = 'resolved'
          AND last.channel_data->>'csat' = 'asked' AND last.created_at > now() - $5 * interval '1 day'
        ORDER BY last.created_at DESC LIMIT 1
        FOR UPDATE OF c`,
      [tenantId, inbound.channel, inbound.sender.externalUserId, inbound.connectorId, CSAT_ANSWER_DAYS],
    );
    return rows[0]?.id ?? null;
  }

  private async storeAnswer(m: EntityManager, tenantId: string, conversationId: string, inbound: InboundMessage, rating: number): Promise<string> {
    const id = newId();
    await m.query(
      `INSERT INTO messages (id, tenant_id, conversation_id, direction, author_kind, connector_id, parts, text, external_message_id, delivery_state, channel_data)
       VALUES ($1, $2, $3, 'in', 'contact', $4, $5, $6, $7, 'received', $8)`,
      [id, tenantId, conversationId, inbound.connectorId, JSON.stringify(inbound.parts), textOf(inbound.parts), inbound.externalMessageId, JSON.stringify({ ...inbound.channelData, csatAnswer: rating })],
    );
    await m.query(`UPDATE conversations SET last_message_at = now(), updated_at = now() WHERE tenant_id = $1 AND id = $2`, [tenantId, conversationId]);
    return id;
  }

  /** The question, stored (or, when `existingId` is given, rebuilt as it was stored) and addressed like a reply. */
  private async question(m: EntityManager, tenantId: string, c: ConversationRow, existingId?: string): Promise<OutboundMessage | null> {
    const language = await this.languageOf(m, tenantId, c.id);
    const ask = render(language, 'csatAsk');
    const parts: MessagePart[] =
      CSAT_SURVEY[c.channel] === 'buttons'
        ? [{ type: 'text', text: ask }, { type: 'actions', actions: [1, 2, 3, 4, 5].map((n) => ({ id: `csat:${n}`, label: String(n) })) }]
        : [{ type: 'text', text: `${ask} ${render(language, 'csatHowToAnswer')}` }];
    const outbound = await this.addressed(m, tenantId, c, existingId ?? newId(), parts, language, { csat: 'asked' });
    if (!outbound) return null;
    if (!existingId) await this.storeBotMessage(m, tenantId, c, outbound, null);
    return outbound;
  }

  /** "Thank you for your rating!", once per answer (the bot's reply to it is unique). */
  private async thanks(
    m: EntityManager,
    tenantId: string,
    c: ConversationRow,
    answerId: string,
    inbound: InboundMessage,
  ): Promise<OutboundMessage | null> {
    const [existing] = (await m.query(`SELECT id, delivery_state FROM messages WHERE tenant_id = $1 AND reply_to_message_id = $2 AND author_kind = 'bot'`, [
      tenantId,
      answerId,
    ])) as { id: string; delivery_state: string }[];
    if (existing && existing.delivery_state !== 'pending') return null;
    const language = await this.languageOf(m, tenantId, c.id);
    const text = render(language, 'csatThanks');
    const outbound = await this.addressed(m, tenantId, c, existing?.id ?? newId(), [{ type: 'text', text }], language, {
      ...inbound.channelData,
      replyToExternalMessageId: inbound.externalMessageId,
    });
    if (!outbound) return null;
    outbound.replyToMessageId = answerId;
    outbound.target = { externalUserId: inbound.sender.externalUserId, address: inbound.sender.address, externalThreadId: inbound.externalThreadId ?? c.external_thread_id ?? undefined };
    if (!existing) await this.storeBotMessage(m, tenantId, c, outbound, answerId);
    return outbound;
  }

  /** An outbound message to the conversation's customer, threaded under their last message, as a person's reply is. */
  private async addressed(
    m: EntityManager,
    tenantId: string,
    c: ConversationRow,
    messageId: string,
    parts: MessagePart[],
    language: ReplyLanguage,
    channelData: Record<string, unknown>,
  ): Promise<OutboundMessage | null> {
    const [target] = (await m.query(
      `SELECT external_user_id, address, opted_out_at FROM contact_identities WHERE tenant_id = $1 AND contact_id = $2 AND channel = $3 ORDER BY created_at DESC LIMIT 1`,
      [tenantId, c.contact_id, c.channel],
    )) as { external_user_id: string; address: string | null; opted_out_at: Date | null }[];
    if (!target || target.opted_out_at) return null;
    const [last] = (await m.query(
      `SELECT id, external_message_id, channel_data FROM messages WHERE tenant_id = $1 AND conversation_id = $2 AND direction = 'in' AND author_kind = 'contact' ORDER BY id DESC LIMIT 1`,
      [tenantId, c.id],
    )) as MessageRow[];
    return outboundMessageSchema.parse({
      messageId,
      conversationId: c.id,
      ...(last ? { replyToMessageId: last.id } : {}),
      connectorId: c.connector_id,
      channel: c.channel,
      channelAccountId: c.channel_account_id,
      target: { externalUserId: target.external_user_id, address: target.address ?? undefined, externalThreadId: c.external_thread_id ?? undefined },
      authorKind: 'bot',
      parts,
      language,
      channelData: {
        ...c.channel_data,
        ...last?.channel_data,
        ...(last?.external_message_id ? { replyToExternalMessageId: last.external_message_id } : {}),
        ...channelData,
      },
      idempotencyKey: messageId,
    });
  }

  private async storeBotMessage(m: EntityManager, tenantId: string, c: ConversationRow, out: OutboundMessage, replyTo: string | null): Promise<void> {
    await m.query(
      `INSERT INTO messages (id, tenant_id, conversation_id, direction, author_kind, connector_id, parts, text, reply_to_message_id, delivery_state, channel_data, trace)
       VALUES ($1, $2, $3, 'out', 'bot', $4, $5, $6, $7, 'pending', $8, $9)`,
      [
        out.messageId,
        tenantId,
        c.id,
        c.connector_id,
        JSON.stringify(out.parts),
        textOf(out.parts),
        replyTo,
        JSON.stringify(replyTo ? { csat: 'thanks' } : { csat: 'asked' }),
        // No `decision`: this is no turn of the pipeline (replyOutcomeOf, analytics and the learning loop skip it).
        JSON.stringify({ csat: replyTo ? 'thanks' : 'asked', replyLanguage: out.language }),
      ],
    );
  }

  /** The language the agent last answered this customer in; English before any answer. */
  private async languageOf(m: EntityManager, tenantId: string, conversationId: string): Promise<ReplyLanguage> {
    const [row] = (await m.query(
      `SELECT trace->>'replyLanguage' AS language FROM messages
        WHERE tenant_id = $1 AND conversation_id = $2 AND author_kind = 'bot' AND trace ? 'replyLanguage' ORDER BY id DESC LIMIT 1`,
      [tenantId, conversationId],
    )) as { language: string }[];
    return asReplyLanguage(row?.language) ?? 'en';
  }
}

/** The conversation, locked for the rest of the transaction (one question, one answer at a time). */
async function conversationRow(m: EntityManager, tenantId: string, conversationId: string): Promise<ConversationRow | undefined> {
  const [row] = (await m.query(
    `SELECT c.id, c.channel, c.connector_id, c.channel_account_id, c.external_thread_id, c.contact_id, c.status, c.channel_data, t.settings AS tenant_settings
       FROM conversations c JOIN tenants t ON t.id = c.tenant_id
      WHERE c.tenant_id = $1 AND c.id = $2 FOR UPDATE OF c`,
    [tenantId, conversationId],
  )) as ConversationRow[];
  return row;
}
