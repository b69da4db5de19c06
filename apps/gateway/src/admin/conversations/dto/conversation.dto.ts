import { z } from 'zod';
import { CHANNELS } from '@cs/contracts';
import { CONVERSATION_STATUSES } from '@cs/persistence';
import { csvOf } from '../../common/csv-query';
import { pageQuerySchema } from '../../common/cursor';


export const listConversationsSchema = pageQuerySchema.extend({
  status: csvOf(CONVERSATION_STATUSES).optional(),
  channel: csvOf(CHANNELS).optional(),
  intent: z.string().trim().min(1).max(100).optional(),
  /** A user id, `me`, or `none` (unassigned). */
  assignee: z.union([z.literal('me'), z.literal('none'), z.uuid()]).optional(),
  /** Conversations carrying this label. */
  label: z.string().trim().toLowerCase().min(1).max(40).optional(),
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

/** A label: lowercase, up to 40 characters, no commas (the inbox filter takes one). */
export const labelSchema = z.object({ label: z.string().trim().toLowerCase().min(1).max(40).regex(/^[^,]+$/, 'no commas') });
export type LabelBody = z.infer<typeof labelSchema>;

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
  labels: string[];
  contact: { id: string; name: string | null; email: string | null };
  preview: string | null;
  lastMessageAt: Date | null;
  createdAt: Date;
  teamId: string | null;
  /** The SLA clock: since when the customer waits for a person (null: nobody is waited for), and for how many seconds. */
  waitingSince: Date | null;
  waitingSeconds: number | null;
  /** When the wait passed the tenant's `slaMinutes`. */
  slaBreachedAt: Date | null;
  closedAt: Date | null;
}
