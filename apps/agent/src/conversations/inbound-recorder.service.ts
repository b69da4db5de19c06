import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { newId, textOf, type Envelope, type InboundMessage } from '@cs/contracts';
import {
  ContactResolver,
  ConversationResolver,
  StatementBatcher,
  type ConversationStatus,
  type Message,
  type TenantSettings,
} from '@cs/persistence';
import { conversationKey } from '../inbound/conversation-key';
import { recordCustomerReopen } from './customer-reopen';
import { applyConversationSignal, isStaffMessage, recordStaffMessage } from './channel-signals';
import {
  beginLockAndReadSql,
  STORE_IN_EXISTING_SQL,
  STORE_IN_NEW_SQL,
  type NewConversationItem,
  type TurnReadBatchRow,
  type TurnReadRow,
} from './inbound-recorder.sql';

export interface RecordedInbound {
  tenantName: string;
  settings: TenantSettings;
  /** Null when there is nothing to record it in (staff talking in a thread we do not hold). */
  conversationId: string | null;
  conversationStatus: ConversationStatus;
  inboundMessageId: string;
  /** False when this is a redelivery of a message already stored. */
  isNew: boolean;
  /** The bot's reply, when a previous delivery got as far as storing it. */
  existingReply: Message | null;
  /** The customer wrote again in a conversation resolved within the reopen window (recorded in `conversation_reopens`). */
  reopened?: boolean;
}

type RawResult = { rows: unknown[] };
type InboundItem = { envelope: Envelope<InboundMessage>; inbound: InboundMessage };
/** A message whose new conversation is created together with the batch's others (STORE_IN_NEW_SQL). */
type PendingNew = { pending: NewConversationItem; base: Pick<RecordedInbound, 'tenantName' | 'settings'>; inbound: InboundMessage };

/**
 * Transaction 1 of a turn: under the conversation's advisory lock, find or create the contact and
 * the conversation and store the inbound message once (its vendor id is unique). A redelivered
 * message finds its row, and the reply if one was already stored.
 *
 * Round trips and commits are the cost of the hot path, so the messages that arrive together share
 * one transaction (StatementBatcher): begin, every conversation lock and everything the turns need
 * to know in one round trip; the writes (one statement for all new conversations with the ids the
 * connector assigned, one per message for the others); commit. Each caller resolves after the
 * commit; a batch that fails is retried message by message.
 */
@Injectable()
export class InboundRecorder {
  private readonly batcher: StatementBatcher<InboundItem, RecordedInbound | null>;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ContactResolver) private readonly contacts: ContactResolver,
    @Inject(ConversationResolver) private readonly conversations: ConversationResolver,
  ) {
    this.batcher = new StatementBatcher((items) => this.recordAll(items), { maxBatch: 32, maxInFlight: 3 });
  }

  /** Null when the tenant does not exist (nothing to store it under). */
  record(envelope: Envelope<InboundMessage>, inbound: InboundMessage): Promise<RecordedInbound | null> {
    return this.batcher.submit({ envelope, inbound });
  }

  private async recordAll(items: InboundItem[]): Promise<(RecordedInbound | null)[]> {
    const keys = items.map(({ envelope, inbound }) => conversationKey(envelope) ?? `${envelope.tenantId}:${inbound.externalMessageId}`);
    const input = items.map(({ envelope, inbound }, ord) => ({
      ord,
      tenant_id: envelope.tenantId,
      connector_id: inbound.connectorId,
      external_message_id: inbound.externalMessageId,
      channel: inbound.channel,
      external_user_id: inbound.sender.externalUserId,
      conversation_id: preassignedOf(envelope),
    }));
    // Begun by hand: TypeORM's transaction() would spend a round trip of its own on BEGIN.
    const runner = this.dataSource.createQueryRunner();
    try {
      const connection = (await runner.connect()) as { query(sql: string): Promise<RawResult | RawResult[]> };
      const raw = await connection.query(beginLockAndReadSql(keys, input));
      // node-postgres answers a multi-statement query with one result each; PGlite with the last.
      const rows = (Array.isArray(raw) ? raw[raw.length - 1] : raw).rows as TurnReadBatchRow[];
      const out = await this.storeAll(runner.manager, items, rows);
      await runner.query('COMMIT');
      return out;
    } catch (err) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      await runner.release();
    }
  }

  private async storeAll(m: EntityManager, items: InboundItem[], rows: TurnReadBatchRow[]): Promise<(RecordedInbound | null)[]> {
    const byOrd = new Map(rows.map((r) => [r.ord, r]));
    const out: (RecordedInbound | null)[] = [];
    const fresh: PendingNew[] = [];
    for (const [ord, item] of items.entries()) {
      const result = await this.recordOne(m, item, byOrd.get(ord), ord);
      out.push(result && 'pending' in result ? null : result);
      if (result && 'pending' in result) fresh.push(result);
    }
    // New conversations with the connector's ids (every API-channel question), all in one statement.
    if (fresh.length) await this.storeNew(m, fresh, out);
    return out;
  }

  private async storeNew(m: EntityManager, fresh: PendingNew[], out: (RecordedInbound | null)[]): Promise<void> {
    const rows: { ord: number; created: boolean; stored: boolean }[] = await m.query(STORE_IN_NEW_SQL, [JSON.stringify(fresh.map((f) => f.pending))]);
    const byOrd = new Map(rows.map((r) => [r.ord, r]));
    for (const { pending, base, inbound } of fresh) {
      const row = byOrd.get(pending.ord);
      if (!row?.created) throw new Error(`conversation ${pending.conversation_id} belongs to another tenant`);
      assertStored(row.stored ? 1 : 0, inbound);
      out[pending.ord] = {
        ...base,
        conversationId: pending.conversation_id,
        conversationStatus: 'bot',
        inboundMessageId: pending.id,
        isNew: true,
        existingReply: null,
      };
    }
  }

  private async recordOne(
    m: EntityManager,
    { envelope, inbound }: InboundItem,
    row: TurnReadRow | undefined,
    ord: number,
  ): Promise<RecordedInbound | PendingNew | null> {
    if (!row) return null;
    const base = { tenantName: row.tenant_name, settings: row.tenant_settings ?? {} };
    if (row.inbound_id) {
      return {
        ...base,
        conversationId: row.inbound_conversation_id as string,
        conversationStatus: row.inbound_conversation_status ?? 'bot',
        inboundMessageId: row.inbound_id,
        isNew: false,
        existingReply: row.existing_reply ? toMessage(row.existing_reply) : null,
      };
    }
    if (isStaffMessage(inbound)) {
      const staff = await recordStaffMessage(m, envelope.tenantId, inbound);
      if (!staff) return { ...base, conversationId: null, conversationStatus: 'bot', inboundMessageId: '', isNew: false, existingReply: null };
      return { ...base, ...staff, isNew: true, existingReply: null };
    }
    const contactId = row.contact_id ?? (await this.resolveContact(m, envelope.tenantId, inbound));
    const preassigned = preassignedOf(envelope);
    if (!row.conversation && preassigned) {
      // The id was pre-assigned for a new conversation: created with exactly that id, with the message.
      return { pending: this.newConversationItem(ord, envelope, inbound, contactId, preassigned), base, inbound };
    }
    const stored = await this.store(m, envelope, inbound, contactId, row);
    const signalled = await applyConversationSignal(m, stored.conversationId, inbound);
    return { ...base, ...stored, conversationStatus: signalled ?? stored.conversationStatus, isNew: true, existingReply: null };
  }

  private newConversationItem(ord: number, envelope: Envelope<InboundMessage>, inbound: InboundMessage, contactId: string, conversationId: string): NewConversationItem {
    return {
      ord,
      id: newId(),
      tenant_id: envelope.tenantId,
      connector_id: inbound.connectorId,
      parts: inbound.parts,
      text: textOf(inbound.parts),
      external_message_id: inbound.externalMessageId,
      channel_data: inbound.channelData,
      conversation_id: conversationId,
      contact_id: contactId,
      channel: inbound.channel,
      channel_account_id: isUuid(inbound.channelAccountId) ? inbound.channelAccountId : null,
      external_thread_id: inbound.externalThreadId ?? null,
      subject: inbound.channelData.subject ?? null,
    };
  }

  private async resolveContact(m: EntityManager, tenantId: string, inbound: InboundMessage): Promise<string> {
    const { sender } = inbound;
    const contact = await this.contacts.resolve(m, {
      tenantId,
      channel: inbound.channel,
      externalUserId: sender.externalUserId,
      address: sender.address,
      displayName: sender.displayName,
    });
    return contact.contactId;
  }

  private async store(
    m: EntityManager,
    envelope: Envelope<InboundMessage>,
    inbound: InboundMessage,
    contactId: string,
    row: TurnReadRow,
  ): Promise<{ conversationId: string; conversationStatus: ConversationStatus; inboundMessageId: string; reopened: boolean }> {
    const tenantId = envelope.tenantId;
    const id = newId();
    const channelAccountId = isUuid(inbound.channelAccountId) ? inbound.channelAccountId : null;
    const subject = inbound.channelData.subject ?? null;
    const message = [id, tenantId, inbound.connectorId, JSON.stringify(inbound.parts), textOf(inbound.parts), inbound.externalMessageId, JSON.stringify(inbound.channelData)];
    let conversation: { id: string; status: ConversationStatus } | null = row.conversation;
    let resolvedAt = row.conversation?.status === 'resolved' ? row.conversation.resolved_at : null;
    if (!conversation) {
      const resolved = await this.conversations.resolve(m, {
        tenantId,
        contactId,
        channel: inbound.channel,
        connectorId: inbound.connectorId,
        channelAccountId,
        externalThreadId: inbound.externalThreadId ?? null,
        subject,
      });
      conversation = { id: resolved.conversation.id, status: resolved.conversation.status };
      if (resolved.reopened) resolvedAt = resolved.previousResolvedAt?.toISOString() ?? null;
    }
    // The latest channel data (say, the widget's client id) is what replies are addressed with; a
    // resolved conversation the customer writes in again goes back to the bot.
    const touched: [{ stored: number }[], number] | { stored: number }[] = await m.query(STORE_IN_EXISTING_SQL, [...message, conversation.id]);
    // TypeORM answers an UPDATE with [rows, affected count].
    const rows = Array.isArray(touched[0]) ? (touched[0] as { stored: number }[]) : (touched as { stored: number }[]);
    if (!rows[0]) throw new Error(`conversation ${conversation.id} is gone`);
    assertStored(rows[0].stored, inbound);
    const status = conversation.status === 'resolved' ? 'bot' : conversation.status;
    const reopened = await recordCustomerReopen(m, { tenantId, conversationId: conversation.id, messageId: id, resolvedAt, inbound });
    return { conversationId: conversation.id, conversationStatus: status, inboundMessageId: id, reopened };
  }
}

/**
 * Another delivery stored this very message (same vendor id) since it was looked for: throw, and
 * the retry — alone, or the bus's redelivery — finds the stored row and carries on from there, so
 * the message never gets a second reply.
 */
function assertStored(stored: number, inbound: InboundMessage): void {
  if (Number(stored) !== 1) throw new Error(`inbound ${inbound.connectorId}:${inbound.externalMessageId} was stored concurrently; retrying`);
}

function preassignedOf(envelope: Envelope<InboundMessage>): string | null {
  return envelope.conversationId && isUuid(envelope.conversationId) ? envelope.conversationId : null;
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

/** A raw `messages` row (or its `to_jsonb`) as the entity shape (raw SQL keeps the ON CONFLICT clauses explicit). */
export function toMessage(row: Record<string, unknown>): Message {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    conversationId: row.conversation_id,
    direction: row.direction,
    authorKind: row.author_kind,
    authorId: row.author_id ?? null,
    connectorId: row.connector_id,
    parts: row.parts,
    text: row.text,
    externalMessageId: row.external_message_id ?? null,
    replyToMessageId: row.reply_to_message_id ?? null,
    private: row.private,
    deliveryState: row.delivery_state,
    errorCode: row.error_code ?? null,
    errorMessage: row.error_message ?? null,
    channelData: row.channel_data,
    trace: row.trace ?? null,
    createdAt: row.created_at instanceof Date ? row.created_at : new Date(String(row.created_at)),
  } as Message;
}
