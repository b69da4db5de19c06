import type { EntityManager } from 'typeorm';
import { newId, textOf, type InboundMessage } from '@cs/contracts';
import type { ConversationStatus } from '@cs/persistence';

/**
 * What a connector says about a message beyond its text, applied in the turn's first transaction:
 * a member of the shop's own team writing in a customer's thread (Slack: `staff`), a customer or
 * staff closing the conversation ("This solved it", a ✅: `action: 'resolved'`), and a message only
 * a person can answer (a voicemail: `needsPerson`).
 */
export function isStaffMessage(inbound: InboundMessage): boolean {
  return inbound.channelData.staff === true;
}

/**
 * Staff in a thread: stored as a person's message, and the conversation becomes theirs (assigned),
 * or resolved by their ✅. Staff talking in a thread we do not hold is no conversation: null.
 */
export async function recordStaffMessage(
  m: EntityManager,
  tenantId: string,
  inbound: InboundMessage,
): Promise<{ conversationId: string; conversationStatus: ConversationStatus; inboundMessageId: string } | null> {
  if (!inbound.externalThreadId) return null;
  const rows: { id: string }[] = await m.query(
    `SELECT id FROM conversations WHERE tenant_id = $1 AND connector_id = $2 AND external_thread_id = $3 ORDER BY created_at DESC, id DESC LIMIT 1`,
    [tenantId, inbound.connectorId, inbound.externalThreadId],
  );
  if (!rows[0]) return null;
  const conversationId = rows[0].id;
  const id = newId();
  await m.query(
    `INSERT INTO messages (id, tenant_id, conversation_id, direction, author_kind, connector_id, parts, text, external_message_id, delivery_state, channel_data)
     VALUES ($1, $2, $3, 'in', 'person', $4, $5, $6, $7, 'received', $8)
     ON CONFLICT (tenant_id, connector_id, external_message_id) WHERE direction = 'in' DO NOTHING`,
    [id, tenantId, conversationId, inbound.connectorId, JSON.stringify(inbound.parts), textOf(inbound.parts), inbound.externalMessageId, JSON.stringify(inbound.channelData)],
  );
  const status: ConversationStatus = inbound.channelData.action === 'resolved' ? 'resolved' : 'assigned';
  await setStatus(m, conversationId, status);
  return { conversationId, conversationStatus: status, inboundMessageId: id };
}

/** A resolve action or a voicemail changes the conversation's status; other messages leave it alone. */
export async function applyConversationSignal(m: EntityManager, conversationId: string, inbound: InboundMessage): Promise<ConversationStatus | undefined> {
  if (inbound.channelData.action === 'resolved') {
    await setStatus(m, conversationId, 'resolved');
    return 'resolved';
  }
  if (inbound.channelData.needsPerson === true) {
    const text = textOf(inbound.parts);
    const summary = `Left a message on ${inbound.channel} for a person: "${text.length > 300 ? `${text.slice(0, 299)}…` : text}"`;
    await m.query(`UPDATE conversations SET status = 'waiting', summary = $2, updated_at = now() WHERE id = $1`, [conversationId, summary]);
    return 'waiting';
  }
  return undefined;
}

async function setStatus(m: EntityManager, conversationId: string, status: ConversationStatus): Promise<void> {
  await m.query(
    `UPDATE conversations SET status = $2, resolved_at = CASE WHEN $2 = 'resolved' THEN now() ELSE NULL END,
            last_message_at = now(), updated_at = now() WHERE id = $1`,
    [conversationId, status],
  );
}
