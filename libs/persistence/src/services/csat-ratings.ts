import { newId } from '@cs/contracts';

/** Anything that runs SQL: a DataSource, an EntityManager, a QueryRunner. */
interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

export interface CsatRating {
  conversationId: string;
  rating: number;
  ratedAt: string;
}

/**
 * The customer's satisfaction rating (1 to 5) of a conversation, whichever channel it came from
 * (the widget, the shop's server on the API channel, an answer to the survey on email, SMS,
 * WhatsApp or Slack). One per conversation: a new rating replaces the earlier one, so a customer who
 * changes their mind is counted once, with their latest answer.
 */
export async function recordCsatRating(db: Queryable, tenantId: string, conversationId: string, rating: number): Promise<CsatRating> {
  const [row] = (await db.query(
    `INSERT INTO conversation_feedback (id, tenant_id, conversation_id, rating) VALUES ($1, $2, $3, $4)
     ON CONFLICT (conversation_id) DO UPDATE SET rating = EXCLUDED.rating, rated_at = now()
       WHERE conversation_feedback.tenant_id = EXCLUDED.tenant_id
     RETURNING rating, rated_at`,
    [newId(), tenantId, conversationId, rating],
  )) as { rating: number; rated_at: Date }[];
  return { conversationId, rating: Number(row.rating), ratedAt: new Date(row.rated_at).toISOString() };
}
