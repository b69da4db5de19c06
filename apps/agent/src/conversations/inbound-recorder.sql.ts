import type { ConversationStatus, TenantSettings } from '@cs/persistence';

/** What the turn needs to know, read in one statement under the conversation's lock. */
export interface TurnReadRow {
  tenant_name: string;
  tenant_settings: TenantSettings | null;
  /** Set when this message is already stored (a redelivery). */
  inbound_id: string | null;
  inbound_conversation_id: string | null;
  inbound_conversation_status: ConversationStatus | null;
  /** The bot's reply to it, when a previous delivery stored one (`to_jsonb` of the row). */
  existing_reply: Record<string, unknown> | null;
  /** The sender's contact, when known on this channel. */
  contact_id: string | null;
  /** The conversation the connector named, when it exists for this tenant. */
  conversation: { id: string; status: ConversationStatus; resolved_at: string | null } | null;
}

/** One row per message of the batch (`ord`), under the conversations' locks. */
export interface TurnReadBatchRow extends TurnReadRow {
  ord: number;
}

/**
 * Opens the transaction of a batch, takes its conversations' advisory locks and reads what the
 * turns need, in one round trip: three statements in one simple-protocol query (so the values go
 * in as literals, dollar-quoted: no escaping to get wrong). The read is a statement of its own
 * after the locks — a statement's snapshot is taken before it runs, so a read in the lock's
 * statement could miss what the previous holder committed. Locks are taken in one order (by hash)
 * so that two processes locking overlapping batches cannot deadlock. `input` is a JSON array of
 * { ord, tenant_id, connector_id, external_message_id, channel, external_user_id, conversation_id
 * (the pre-assigned one, or null) }; lateral lookups make every message an index probe whatever
 * the planner guesses about the input's size. A message of an unknown tenant gets no row.
 */
export function beginLockAndReadSql(keys: string[], input: unknown[]): string {
  return `
BEGIN;
SELECT pg_advisory_xact_lock(h) FROM (
  SELECT DISTINCT hashtextextended(key, 0) AS h FROM jsonb_array_elements_text(${dollarQuoted(JSON.stringify(keys))}::jsonb) AS key ORDER BY h
) AS keys;
WITH input AS (
  SELECT * FROM jsonb_to_recordset(${dollarQuoted(JSON.stringify(input))}::jsonb) AS x(
    ord int, tenant_id uuid, connector_id text, external_message_id text, channel text, external_user_id text, conversation_id uuid)
)
SELECT input.ord, t.name AS tenant_name, t.settings AS tenant_settings,
       i.id AS inbound_id, i.conversation_id AS inbound_conversation_id,
       (SELECT c.status FROM conversations c WHERE c.id = i.conversation_id) AS inbound_conversation_status,
       (SELECT to_jsonb(r) FROM messages r WHERE i.id IS NOT NULL AND r.reply_to_message_id = i.id AND r.author_kind = 'bot' LIMIT 1) AS existing_reply,
       (SELECT ci.contact_id FROM contact_identities ci
         WHERE ci.tenant_id = input.tenant_id AND ci.channel = input.channel AND ci.external_user_id = input.external_user_id) AS contact_id,
       (SELECT jsonb_build_object('id', c.id, 'status', c.status, 'resolved_at', c.resolved_at) FROM conversations c
         WHERE input.conversation_id IS NOT NULL AND c.id = input.conversation_id AND c.tenant_id = input.tenant_id) AS conversation
FROM input
JOIN LATERAL (SELECT name, settings FROM tenants WHERE id = input.tenant_id) t ON true
LEFT JOIN LATERAL (
  SELECT id, conversation_id FROM messages
  WHERE tenant_id = input.tenant_id AND connector_id = input.connector_id AND external_message_id = input.external_message_id AND direction = 'in'
  LIMIT 1
) i ON true`;
}

/** A dollar-quoted literal whose tag does not occur in the text: the text goes in verbatim, whatever it holds. */
export function dollarQuoted(text: string): string {
  let tag: string;
  do tag = `cs${Math.random().toString(36).slice(2, 10)}`;
  while (text.includes(`$${tag}$`));
  return `$${tag}$${text}$${tag}$`;
}

/*
 * The inbound message columns shared by both writes:
 * $1 id, $2 tenant, $3 connector, $4 parts, $5 text, $6 external message id, $7 channel data.
 */
const INSERT_INBOUND = `
INSERT INTO messages (id, tenant_id, conversation_id, direction, author_kind, connector_id, parts, text, external_message_id, delivery_state, channel_data)`;

/**
 * Into a known conversation ($8): store the message, touch the conversation, reopen it to the bot
 * if it was resolved (or auto-closed). `stored` is 0 when the message's vendor id was taken meanwhile.
 */
export const STORE_IN_EXISTING_SQL = `
WITH stored AS (
  ${INSERT_INBOUND}
  VALUES ($1::uuid, $2::uuid, $8::uuid, 'in', 'contact', $3::text, $4::jsonb, $5::text, $6::text, 'received', $7::jsonb)
  ON CONFLICT (tenant_id, connector_id, external_message_id) WHERE direction = 'in' DO NOTHING
  RETURNING id
)
UPDATE conversations SET last_message_at = now(), updated_at = now(), channel_data = channel_data || $7::jsonb,
       status = CASE WHEN status = 'resolved' THEN 'bot' ELSE status END,
       resolved_at = CASE WHEN status = 'resolved' THEN NULL ELSE resolved_at END,
       assignee_id = CASE WHEN status = 'resolved' THEN NULL ELSE assignee_id END,
       closed_at = CASE WHEN status = 'resolved' THEN NULL ELSE closed_at END
WHERE id = $8::uuid
RETURNING (SELECT count(*) FROM stored)::int AS stored`;

/** One new conversation and its first message, for STORE_IN_NEW_SQL. */
export interface NewConversationItem {
  ord: number;
  id: string;
  tenant_id: string;
  connector_id: string;
  parts: unknown;
  text: string;
  external_message_id: string;
  channel_data: Record<string, unknown>;
  conversation_id: string;
  contact_id: string;
  channel: string;
  channel_account_id: string | null;
  external_thread_id: string | null;
  subject: string | null;
}

/**
 * New conversations with the ids the connector assigned, each with its first message, for every
 * such message of the batch in one statement ($1: a JSON array of NewConversationItem). Per item:
 * `created` is false when the id is taken (by another tenant: this tenant's was looked for under
 * the lock), `stored` false when the message's vendor id was taken meanwhile.
 */
export const STORE_IN_NEW_SQL = `
WITH input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
    ord int, id uuid, tenant_id uuid, connector_id text, parts jsonb, text text, external_message_id text, channel_data jsonb,
    conversation_id uuid, contact_id uuid, channel text, channel_account_id uuid, external_thread_id text, subject text)
), conversation AS (
  INSERT INTO conversations (id, tenant_id, contact_id, channel, connector_id, channel_account_id, external_thread_id, subject, channel_data, last_message_at)
  SELECT conversation_id, tenant_id, contact_id, channel, connector_id, channel_account_id, external_thread_id, subject, channel_data, now() FROM input
  ON CONFLICT (id) DO NOTHING
  RETURNING id
), stored AS (
  ${INSERT_INBOUND}
  SELECT i.id, i.tenant_id, c.id, 'in', 'contact', i.connector_id, i.parts, i.text, i.external_message_id, 'received', i.channel_data
  FROM input i JOIN conversation c ON c.id = i.conversation_id
  ON CONFLICT (tenant_id, connector_id, external_message_id) WHERE direction = 'in' DO NOTHING
  RETURNING id
)
SELECT i.ord, c.id IS NOT NULL AS created, s.id IS NOT NULL AS stored
FROM input i LEFT JOIN conversation c ON c.id = i.conversation_id LEFT JOIN stored s ON s.id = i.id`;
