import { z } from 'zod';

export const analyticsQuerySchema = z.object({
  /** Start of the period (ISO 8601); default 30 days ago. */
  from: z.coerce.date().optional(),
  /** End of the period, exclusive; default now. */
  to: z.coerce.date().optional(),
});
export type AnalyticsQuery = z.infer<typeof analyticsQuerySchema>;

export const usageQuerySchema = z.object({
  /** YYYY-MM, UTC; default the current month. */
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM').optional(),
});
export type UsageQuery = z.infer<typeof usageQuerySchema>;

export interface Analytics {
  period: { from: string; to: string; timezone: string };
  volume: { day: string; channel: string; messages: number }[];
  conversations: number;
  automatedResolution: { confirmed: number; assumed: number; rate: number | null };
  handoff: { conversations: number; rate: number | null };
  firstResponseSeconds: { p50: number | null; p95: number | null };
  csat: { responses: number; average: number | null };
  topIntents: { intent: string; conversations: number }[];
  unanswered: { conversationId: string; text: string; at: Date }[];
  /** The open knowledge gaps that grew in the period, by questions in it (`GET /knowledge/gaps/{id}` for one). */
  knowledgeGaps: { id: string; label: string; size: number; questions: number }[];
  /** Actions on the shop in the period, in total and per action (`cancel_order`...). */
  actions: ActionCounts & { byAction: (ActionCounts & { action: string })[] };
}

/**
 * `done`: the backend said it is done; `failed`: the backend refused or failed (nothing claimed);
 * `refused`: the agent would not act (identity not verified, or the order no longer allows it);
 * `awaitingApproval`: parked for a person; `approved` / `rejected`: a person's decisions;
 * `lookups`: orders looked up and answered (order status).
 */
export interface ActionCounts {
  done: number;
  failed: number;
  refused: number;
  awaitingApproval: number;
  approved: number;
  rejected: number;
  lookups: number;
}

export interface Usage {
  tenantId: string;
  month: string;
  messagesIn: number;
  messagesOut: number;
  automatedResolutions: number;
}
