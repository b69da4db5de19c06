import { z } from 'zod';
import { ActionBackendError, type ActionBackend, type MutationResult, type RefundMethod, type ShippingAddress } from './action-backend';

/** What the customer confirms, exactly as it will be sent to the backend. */
export type ConfirmedRequest =
  | { action: 'cancel_order'; order: string; reason?: string }
  | { action: 'return_order'; order: string; items: { id: string; quantity: number; title: string }[]; refund: RefundMethod }
  | { action: 'exchange_order'; order: string; items: SwappedLine[]; refund: RefundMethod }
  | { action: 'change_address'; order: string; address: ShippingAddress }
  | { action: 'modify_items'; order: string; items: SwappedLine[]; refund: RefundMethod };

/** A line swapped for another variant (an exchange, or an edit of an order not shipped yet). */
export interface SwappedLine {
  id: string;
  quantity: number;
  title: string;
  newVariantId: string;
  newTitle: string;
}

/** What the ledger keeps of a request (`action_calls.request`): the request without its action, which the row names. */
export function ledgerRequest(request: ConfirmedRequest): Record<string, unknown> {
  if (request.action === 'cancel_order') return { order: request.order, ...(request.reason ? { reason: request.reason } : {}) };
  const { action: _action, ...rest } = request;
  return rest;
}

const refund = z.enum(['original_payment', 'store_credit']);
const line = { id: z.string().min(1), quantity: z.number().int().positive(), title: z.string() };
const swapped = z.array(z.object({ ...line, newVariantId: z.string().min(1), newTitle: z.string() })).min(1);
const storedSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('cancel_order'), order: z.string().min(1), reason: z.string().optional() }),
  z.object({ action: z.literal('return_order'), order: z.string().min(1), items: z.array(z.object(line)).min(1), refund }),
  z.object({ action: z.literal('exchange_order'), order: z.string().min(1), items: swapped, refund }),
  z.object({ action: z.literal('modify_items'), order: z.string().min(1), items: swapped, refund }),
  z.object({
    action: z.literal('change_address'),
    order: z.string().min(1),
    address: z.object({ address1: z.string(), address2: z.string().optional(), city: z.string(), zip: z.string(), province: z.string().optional(), country: z.string() }),
  }),
]);

/**
 * The backend call behind each mutating action, from the request the ledger stored for it: the act
 * stage's confirmed call and a person's approval of a parked one run the very same code. The order
 * is read again at call time: what was true when the customer confirmed may not be any more.
 */
export async function runAction(backend: ActionBackend, action: string, stored: Record<string, unknown>, idempotencyKey: string): Promise<MutationResult> {
  const parsed = storedSchema.safeParse({ ...stored, action });
  if (!parsed.success) {
    const known = storedSchema.options.some((o) => o.shape.action.value === action);
    throw new ActionBackendError(known ? 'rejected' : 'unsupported', known ? `the stored ${action} request is incomplete` : `no runner for action "${action}"`);
  }
  const request = parsed.data;
  const order = await backend.findOrder(request.order);
  if (!order) throw new ActionBackendError('rejected', 'the order is gone');
  switch (request.action) {
    case 'cancel_order':
      // Cancelled meanwhile (by the shop's staff, say, while the request waited for approval): what the
      // customer asked for is what the shop now reports, and a second cancel would only be refused.
      if (order.status === 'cancelled') return { state: 'done' };
      return backend.cancelOrder(order, 'customer', idempotencyKey, request.reason);
    case 'return_order':
      return backend.requestReturn(order, request.items.map(({ id, quantity }) => ({ id, quantity })), request.refund, idempotencyKey);
    case 'exchange_order':
      return backend.exchange(order, request.items.map(({ id, quantity, newVariantId }) => ({ id, quantity, newVariantId })), idempotencyKey, request.refund);
    case 'change_address':
      return backend.changeShippingAddress(order, request.address, idempotencyKey);
    case 'modify_items':
      return backend.modifyItems(order, request.items.map(({ id, quantity, newVariantId }) => ({ id, quantity, newVariantId })), idempotencyKey, request.refund);
  }
}
