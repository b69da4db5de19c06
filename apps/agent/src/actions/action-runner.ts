import { ActionBackendError, type ActionBackend, type MutationResult } from './action-backend';

/**
 * The backend call behind each mutating action, from the request the ledger stored for it: the act
 * stage's confirmed call and a person's approval of a parked one run the very same code. The order
 * is read again at call time: what was true when the customer confirmed may not be any more.
 */
const RUNNERS: Record<string, (backend: ActionBackend, request: Record<string, unknown>, idempotencyKey: string) => Promise<MutationResult>> = {
  cancel_order: async (backend, request, key) => {
    const order = await backend.findOrder(String(request.order ?? ''));
    if (!order) throw new ActionBackendError('rejected', 'the order is gone');
    // Cancelled meanwhile (by the shop's staff, say, while the request waited for approval): what the
    // customer asked for is what the shop now reports, and a second cancel would only be refused.
    if (order.status === 'cancelled') return { state: 'done' };
    return backend.cancelOrder(order, 'customer', key);
  },
};

export function runAction(backend: ActionBackend, action: string, request: Record<string, unknown>, idempotencyKey: string): Promise<MutationResult> {
  const runner = RUNNERS[action];
  if (!runner) return Promise.reject(new ActionBackendError('unsupported', `no runner for action "${action}"`));
  return runner(backend, request, idempotencyKey);
}
