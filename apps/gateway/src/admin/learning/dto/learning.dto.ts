import { z } from 'zod';
import { pageQuerySchema } from '../../common/cursor';

export const listGapsSchema = pageQuerySchema.extend({
  status: z.enum(['open', 'dismissed', 'closed']).default('open'),
});
export type ListGapsQuery = z.infer<typeof listGapsSchema>;

export const listSuggestionsSchema = pageQuerySchema.extend({
  status: z.enum(['pending', 'approved', 'rejected']).default('pending'),
});
export type ListSuggestionsQuery = z.infer<typeof listSuggestionsSchema>;

const title = z.string().trim().min(1).max(200);
const body = z.string().trim().min(1).max(200_000);

/** A gap turned into a draft: the title defaults to its most frequent phrasing, the body to what staff answered (or a note to write one). */
export const draftFromGapSchema = z.object({ title: title.optional(), body: body.optional() });
export type DraftFromGapBody = z.infer<typeof draftFromGapSchema>;

/** A reviewer's edits before approving; `mergeIntoArticleId: null` publishes it as a new article instead. */
export const updateSuggestionSchema = z.object({ title: title.optional(), body: body.optional(), mergeIntoArticleId: z.uuid().nullable().optional() });
export type UpdateSuggestionBody = z.infer<typeof updateSuggestionSchema>;

export interface GapTrend {
  /** Questions in the last 7 days and the 7 before. */
  last7Days: number;
  previous7Days: number;
  direction: 'new' | 'rising' | 'falling' | 'steady';
}

export interface GapView {
  id: string;
  status: string;
  label: string;
  size: number;
  trend: GapTrend;
  /** The most frequent ways customers asked it, with how often. */
  phrasings: { text: string; count: number }[];
  channels: Record<string, number>;
  closestArticle: { id: string; title: string; score: number | null } | null;
  closedByArticleId: string | null;
  firstSeenAt: Date;
  lastSeenAt: Date;
}

export interface GapDetail extends GapView {
  /** Why its questions counted as unanswered. */
  reasons: Record<string, number>;
  /** The latest questions, with their conversations. */
  questions: { conversationId: string; text: string; channel: string; reason: string; at: Date }[];
  suggestions: { id: string; status: string; title: string }[];
}
