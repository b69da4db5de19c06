import type { EntityManager } from 'typeorm';
import { newId, type InboundMessage } from '@cs/contracts';
import { REOPEN_WINDOW_HOURS } from '@cs/persistence';

export interface ReopenCandidate {
  tenantId: string;
  conversationId: string;
  /** The customer's message just stored in it. */
  messageId: string;
  /** When the conversation had been resolved (ISO), null when it was not resolved. */
  resolvedAt: string | null;
  inbound: InboundMessage;
}

/**
 * A customer reopen (issue 18): the customer writes again in a resolved conversation (same thread)
 * within REOPEN_WINDOW_HOURS of its resolution, with a message of their own (not "This solved it",
 * not a rating of an answer). The conversation goes back to the bot either way; inside the window it
 * also counts as a reopen, in analytics and experiments (`conversation_reopens`, by `customer`) and
 * in the knowledge gaps (the agent's `conv.reopened` event). Once per message: a redelivery finds it.
 */
export async function recordCustomerReopen(m: EntityManager, candidate: ReopenCandidate): Promise<boolean> {
  const { resolvedAt, inbound } = candidate;
  if (!resolvedAt || typeof inbound.channelData.action === 'string') return false;
  if (Date.now() - new Date(resolvedAt).getTime() > REOPEN_WINDOW_HOURS * 3600_000) return false;
  const rows: unknown[] = await m.query(
    `INSERT INTO conversation_reopens (id, tenant_id, conversation_id, "by", message_id, resolved_at) VALUES ($1, $2, $3, 'customer', $4, $5)
     ON CONFLICT (tenant_id, message_id) WHERE message_id IS NOT NULL DO NOTHING RETURNING id`,
    [newId(), candidate.tenantId, candidate.conversationId, candidate.messageId, resolvedAt],
  );
  return rows.length > 0;
}
