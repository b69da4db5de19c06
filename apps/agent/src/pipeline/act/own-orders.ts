import type { ReplyLanguage } from '@cs/contracts';
import type { ActionBackend, ShopOrder } from '../../actions/action-backend';
import type { ConfirmedRequest } from '../../actions/action-runner';
import { renderFlow } from './act-templates';
import { itemsNamed, itemText, type FlowAction } from './order-details';

/** The orders each action can be done for, by status. */
const FITS: Record<FlowAction, ShopOrder['status'][]> = {
  order_status: ['open', 'shipped', 'delivered', 'cancelled'],
  cancel_order: ['open'],
  change_address: ['open'],
  return_order: ['delivered'],
  exchange_order: ['delivered'],
  modify_items: ['open'],
};

/** "All my orders", "all the things I ordered": a request meant for every order it fits, not one. */
const EVERY = /\b(all|every|each|both)\b[^.]*\borders\b|\ball (the |my )?(things|items)\b/i;
/** "Everything", "the whole order": all of one order, which names nothing in another. */
const WHOLE = /\b(everything|whole order|entire order|all (the )?(items|things|of (it|them))|all of my|all but)\b/gi;

/** The orders already done in this conversation, as `action:number` (the flow's `handled` slot). */
function isHandled(handled: string | undefined, action: string, order: ShopOrder): boolean {
  return (handled ?? '').split(' ').includes(`${action}:${order.number}`);
}

/** The orders placed from the sender's proven address; none when the backend cannot list them or fails. */
async function senderOrders(backend: ActionBackend, from: string): Promise<ShopOrder[] | undefined> {
  if (!backend.findOrdersByEmail) return undefined;
  try {
    return await backend.findOrdersByEmail(from.trim().toLowerCase());
  } catch {
    return undefined;
  }
}

/**
 * The sender's orders that fit the action and what they named; one is the order, several are a
 * question. Only for a sender whose channel proves the address (email).
 */
export async function ownOrders(
  backend: ActionBackend,
  from: string,
  action: FlowAction,
  slots: Record<string, string>,
  language: ReplyLanguage,
): Promise<{ order: ShopOrder } | { text: string; allowed: string[] } | undefined> {
  const orders = await senderOrders(backend, from);
  if (!orders) return undefined;
  const fitting = orders.filter((o) => FITS[action].includes(o.status) && !isHandled(slots.handled, action, o));
  const said = slots.said ?? '';
  const named = fitting.filter((o) => itemsNamed(said, o).length > 0);
  // What they named is in an order this cannot be done for (a laptop not delivered yet): that order,
  // so the answer says why, rather than another order that happens to fit.
  const elsewhere = named.length === 0 ? orders.filter((o) => itemsNamed(said, o).length > 0) : [];
  if (elsewhere.length === 1) return { order: elsewhere[0] };
  const candidates = named.length > 0 ? named : fitting;
  if (candidates.length === 1) return { order: candidates[0] };
  if (candidates.length === 0) return { text: renderFlow(language, 'noOrders'), allowed: [] };
  const listed = candidates.slice(0, 6);
  const list = listed.map((o) => `${o.number} (${o.items.map((i) => itemText(i)).join(', ')})`).join('; ');
  // The sender's own orders (their address is proven): their numbers may be shown to them.
  return { text: renderFlow(language, 'askWhichOrder', { orders: list }), allowed: listed.map((o) => o.number) };
}

/**
 * After an action is done: another of the sender's orders the same request is about (items the
 * customer named that are in it, or a request for every order), not handled yet. The agent offers to
 * go on with it rather than leave half of "return the lamp and the kettle" (two orders) undone.
 */
export async function furtherOrder(backend: ActionBackend, from: string, request: ConfirmedRequest, slots: Record<string, string>): Promise<ShopOrder | undefined> {
  if (request.action === 'change_address') return undefined;
  const orders = await senderOrders(backend, from);
  if (!orders) return undefined;
  const said = slots.said ?? '';
  const handled = `${slots.handled ?? ''} ${request.action}:${request.order}`;
  const fitting = orders.filter((o) => FITS[request.action].includes(o.status) && o.number !== request.order && !isHandled(handled, request.action, o));
  const items = said.replace(WHOLE, ' ');
  // Only what this order did not have: "return the watch" is done once, whichever orders hold a watch.
  const current = orders.find((o) => o.number === request.order);
  const done = new Set((current ? itemsNamed(items, current) : []).map((i) => i.title.toLowerCase()));
  const named = fitting.filter((o) => itemsNamed(items, o).some((i) => !done.has(i.title.toLowerCase())));
  if (named.length > 0) return named[0];
  return EVERY.test(said) ? fitting[0] : undefined;
}
