/**
 * The one order of an outgoing message's delivery states, applied by the one writer of delivery
 * state (apps/connectors `DeliveryRecorder`): pending < sent < delivered < read, and `failed` is
 * terminal. A late or repeated report never moves a message back, and nothing moves a failed one.
 * Inbound rows are `received` and outside this order.
 *
 * One exception, for the send itself: a send the vendor accepted stores its vendor id and `sent` on
 * a message that has no vendor id yet, even over an earlier failed attempt, because the vendor now
 * has the message and the send guard must see its id.
 */
export const OUTBOUND_DELIVERY_STATES = ['pending', 'sent', 'delivered', 'read', 'failed'] as const;
export type OutboundDeliveryState = (typeof OUTBOUND_DELIVERY_STATES)[number];

const RANK: Record<Exclude<OutboundDeliveryState, 'failed'>, number> = { pending: 0, sent: 1, delivered: 2, read: 3 };

/**
 * Whether a message in state `from` may move to `to`. `failed` is reached from pending or sent only:
 * a carrier's "failed" after its own "delivered" is a late duplicate, not news.
 */
export function mayMoveDeliveryState(from: OutboundDeliveryState, to: OutboundDeliveryState): boolean {
  if (from === 'failed') return false;
  if (to === 'failed') return RANK[from] < RANK.delivered;
  return RANK[to] > RANK[from];
}

/** The states a message may be in for a move to `to` (for an `UPDATE ... WHERE delivery_state = ANY(...)`). */
export function deliveryStatesBefore(to: OutboundDeliveryState): OutboundDeliveryState[] {
  return OUTBOUND_DELIVERY_STATES.filter((from) => mayMoveDeliveryState(from, to));
}
