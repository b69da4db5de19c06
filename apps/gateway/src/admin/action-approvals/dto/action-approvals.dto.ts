import { z } from 'zod';
import { pageQuerySchema } from '../../common/cursor';

/** `awaiting` (the queue, the default), `decided` (approved or rejected by a person), or `all` parked ever. */
export const listApprovalsSchema = pageQuerySchema.extend({
  status: z.enum(['awaiting', 'decided', 'all']).default('awaiting'),
});
export type ListApprovalsQuery = z.infer<typeof listApprovalsSchema>;

export const decideSchema = z.object({
  /** Why, for the audit log and the team; never sent to the customer. */
  note: z.string().trim().min(1).max(2000).optional(),
});
export type DecideBody = z.infer<typeof decideSchema>;

export interface ApprovalView {
  id: string;
  conversationId: string;
  /**
   * The action (`cancel_order`, `return_order`, `exchange_order`, `change_address`) and what it would be
   * called with, as the customer confirmed it (`{ order: '#1001' }`; a return's `items` and `refund`,
   * an exchange's items with their `newVariantId`, an address change's `address`).
   */
  action: string;
  request: Record<string, unknown>;
  backendId: string;
  /** `awaiting_approval`, `rejected`, or after approval `started` (outcome unknown), `done` or `failed`. */
  status: string;
  result: Record<string, unknown> | null;
  createdAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
}

/** What an approval or rejection did: the call as it now is, and whether the customer was told on their channel. */
export interface DecisionView extends ApprovalView {
  customerTold: boolean;
}
