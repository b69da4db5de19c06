import { z } from 'zod';
import { CHANNELS } from '@cs/contracts';
import { CONVERSATION_STATUSES } from '@cs/persistence';
import { pageQuerySchema } from '../../common/cursor';

/** `a,b,c` in a query string → a checked list. */
function csvOf<T extends readonly [string, ...string[]]>(values: T) {
  return z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)).min(1));
}

export const listConversationsSchema = pageQuerySchema.extend({
  status: csvOf(CONVERSATION_STATUSES).optional(),
  channel: csvOf(CHANNELS).optional(),
  intent: z.string().trim().min(1).max(100).optional(),
  /** A user id, `me`, or `none` (unassigned). */
  assignee: z.union([z.literal('me'), z.literal('none'), z.uuid()]).optional(),
  /** Conversations started at or after / before these instants (ISO 8601). */
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  /** Words searched in every message of the conversation and in its subject. */
  q: z.string().trim().min(1).max(200).optional(),
  /**
   * `recent` (default): most recently active first. `queue`: the work queue — waiting for a person,
   * then assigned, with the bot, resolved; within each, the least recently active first.
   */
  order: z.enum(['recent', 'queue']).default('recent'),
});
export type ListConversationsQuery = z.infer<typeof listConversationsSchema>;

export const replySchema = z.object({ text: z.string().trim().min(1).max(10_000) });
export type ReplyBody = z.infer<typeof replySchema>;

export const assignSchema = z.object({
  /** Omitted: the caller takes it. Null: unassign (back to the waiting queue). */
  assigneeId: z.uuid().nullable().optional(),
});
export type AssignBody = z.infer<typeof assignSchema>;

export interface ConversationSummary {
  id: string;
  status: string;
  channel: string;
  connectorId: string;
  subject: string | null;
  intent: string | null;
  assigneeId: string | null;
  contact: { id: string; name: string | null; email: string | null };
  preview: string | null;
  lastMessageAt: Date | null;
  createdAt: Date;
}
