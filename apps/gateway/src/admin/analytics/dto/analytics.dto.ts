import { z } from 'zod';

export const usageQuerySchema = z.object({
  /** YYYY-MM, UTC; default the current month. */
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM').optional(),
});
export type UsageQuery = z.infer<typeof usageQuerySchema>;

export interface Analytics {
  period: { from: string; to: string; timezone: string; channels: string[] | null };
  volume: { day: string; channel: string; messages: number }[];
  conversations: number;
  automatedResolution: { confirmed: number; assumed: number; rate: number | null };
  handoff: { conversations: number; rate: number | null };
  /** Resolved conversations that came back: the customer wrote again within 72 h of the resolution, or staff reopened them (`byCustomer`: the former). */
  reopened: { conversations: number; byCustomer: number; rate: number | null };
  /** The first reply of anyone, the bot's included (usually instant). */
  firstResponseSeconds: { p50: number | null; p95: number | null };
  /** From the bot's hand-off to the first reply of a person, over the conversations a person answered. */
  firstHumanReplyAfterHandoffSeconds: { p50: number | null; p95: number | null };
  /** Ratings received in the period, overall and by the channel the conversation was on. */
  csat: { responses: number; average: number | null; byChannel: { channel: string; responses: number; average: number | null }[] };
  topIntents: { intent: string; conversations: number }[];
  unanswered: { conversationId: string; text: string; at: Date }[];
  /** The open knowledge gaps that grew in the period, by questions in it (`GET /knowledge/gaps/{id}` for one). */
  knowledgeGaps: { id: string; label: string; size: number; questions: number }[];
  /** Actions on the shop in the period, in total and per action (`cancel_order`...). */
  actions: ActionCounts & { byAction: (ActionCounts & { action: string })[] };
}

/**
 * `done`: the backend said it is done; `failed`: the backend refused or failed (nothing claimed);
 * `refused`: the agent would not act (identity not verified: wrong details, a wrong one-time code, too many codes; or the order no longer allows it);
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
